// The Gradle build of the Android library (this folder) and its sample app (sample/), for host
// developers with the Android SDK and NDK (Android Studio: open this folder). CI does not run
// it — there is no Android SDK there; CI builds and tests the same sources with Maven and
// Robolectric (pom.xml).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "miniapp-android"
include(":sample")
