// The sample app: lists the mini programs bundled in its assets (examples/campus, copied at
// build time) and opens one in CampusActivity — the README's Android host
// (examples/embed/android/CampusActivity.kt).
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val repo = rootDir.parentFile
val bundled = layout.buildDirectory.dir("generated/assets")

android {
    namespace = "dev.miniapp.sample"
    compileSdk = 34
    defaultConfig {
        applicationId = "dev.miniapp.sample"
        minSdk = 26
        targetSdk = 34
        versionCode = 1
        versionName = "1.0"
    }
    sourceSets["main"].java.srcDirs("src/main/kotlin", File(repo, "examples/embed/android"))
    sourceSets["main"].assets.srcDirs(bundled)
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
}

dependencies {
    implementation(project(":"))
}

/** Bundled mini programs: assets/apps/<name>/ (add folders holding app.json here). */
val bundleApps by tasks.registering(Copy::class) {
    from(File(repo, "examples/campus")) { into("apps/campus") }
    into(bundled)
}

tasks.named("preBuild") {
    dependsOn(bundleApps)
}
