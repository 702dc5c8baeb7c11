// A whole Android host: one Activity showing a mini program with native views.
// The library is android/ (MiniAppView, MiniApp); CI compiles this file with it and runs it under
// Robolectric (android/src/test/kotlin/dev/miniapp/android/CampusActivityTest.kt).
package dev.miniapp.example

import android.app.Activity
import android.os.Bundle
import dev.miniapp.HostEventRecord
import dev.miniapp.android.MiniApp
import dev.miniapp.android.MiniAppView

class CampusActivity : Activity() {
    private lateinit var app: MiniApp

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val view = MiniAppView(this)
        setContentView(view)
        // A folder holding app.json: unpacked from the APK's assets, or downloaded by the host.
        val dir = intent.getStringExtra("dir") ?: filesDir.resolve("campus").path
        // Grants, host services (toasts, dialogs, clipboard…) and Android's text measurement
        // come with the defaults of MiniApp.Options.
        app = MiniApp.open(view, dir)
        app.launch(intent.getStringExtra("page"))
    }

    override fun onResume() {
        super.onResume()
        app.resume()
    }

    override fun onPause() {
        app.pause()
        super.onPause()
    }

    @Deprecated("Activity.onBackPressed")
    override fun onBackPressed() {
        if (!app.back()) super.onBackPressed() // the first page: leave the mini program
    }

    override fun onConfigurationChanged(newConfig: android.content.res.Configuration) {
        super.onConfigurationChanged(newConfig)
        app.send(HostEventRecord.Resize(newConfig.screenWidthDp.toDouble(), newConfig.screenHeightDp.toDouble(), null))
    }

    override fun onDestroy() {
        app.close()
        super.onDestroy()
    }
}
