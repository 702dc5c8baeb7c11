package dev.miniapp.android

import android.content.Intent
import android.os.Looper
import dev.miniapp.example.CampusActivity
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

/** The README's Android host (examples/embed/android/CampusActivity.kt) runs the campus example. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
@GraphicsMode(GraphicsMode.Mode.NATIVE)
class CampusActivityTest {
    @Test
    fun theReadmeActivityShowsTheCampus() {
        val campus = System.getProperty("miniapp.campus") ?: "../examples/campus"
        val intent = Intent(RuntimeEnvironment.getApplication(), CampusActivity::class.java).putExtra("dir", campus)
        val controller = Robolectric.buildActivity(CampusActivity::class.java, intent).setup()
        val view = controller.get().window.decorView.findViewById<android.view.ViewGroup>(android.R.id.content).getChildAt(0) as MiniAppView
        val end = System.nanoTime() + 10_000_000_000L
        while (!view.visibleText().contains("Refreshed 0 times") && System.nanoTime() < end) {
            shadowOf(Looper.getMainLooper()).idle()
            Thread.sleep(5)
        }
        assertTrue(view.visibleText(), view.visibleText().contains("河畔大学 Riverside University"))
        controller.pause().resume()
        controller.destroy()
    }
}
