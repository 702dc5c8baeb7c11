package dev.miniapp.android

import android.os.Build
import android.os.Handler
import android.os.Looper
import android.util.Log
import dev.miniapp.FrameListener
import dev.miniapp.HostEventRecord
import dev.miniapp.HostServices
import dev.miniapp.LogSink
import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.util.Locale
import dev.miniapp.MiniApp as Core

/**
 * A mini program running in a [MiniAppView]: opens the package, streams its frames to the view
 * on the main thread, and reports what the user and the host app do as host events.
 *
 * ```kotlin
 * val view = MiniAppView(activity)
 * activity.setContentView(view)
 * val app = MiniApp.open(view, packageDir)        // a folder with app.json
 * app.launch("pages/detail/detail?id=3")
 * // onPause: app.pause(); onResume: app.resume(); onBackPressed: if (!app.back()) finish()
 * // onDestroy: app.close()
 * ```
 */
class MiniApp private constructor(val view: MiniAppView) : AutoCloseable {
    private lateinit var core: Core
    private val main = Handler(Looper.getMainLooper())

    @Volatile
    private var closed = false

    /** How the app is opened. Lengths are CSS px. */
    data class Options(
        /** The page area; default: the view's display size in CSS px (dp). */
        val viewport: Pair<Float, Float>? = null,
        /** Capability groups the host grants (see the README's policy format). */
        val grant: List<String> = listOf("storage", "ui", "device", "network"),
        /** A whole capability policy as JSON (domain lists, quotas, limits); replaces [grant]. */
        val policyJson: String? = null,
        /** `"real"` (default) or `"virtual"` (tests: time moves only with `advance`). */
        val clock: String = "real",
        /** The host's services; default: [DefaultHostServices] on the view's context. */
        val hostServices: HostServices? = null,
        /** Measure text with Android's fonts ([AndroidTextMeasurer]); false: the headless formula. */
        val measureText: Boolean = true,
        /** Console output and uncaught errors; default: Android's log, tag `miniapp`. */
        val log: ((level: String, message: String) -> Unit)? = null,
        /** The app's id: its storage and files are kept under [dataDir] by this id (give one per
         *  mini program; a package cannot choose it). Default: derived from the package's location. */
        val appId: String? = null,
        /** Where storage (`wx.setStorage`) and user files (`wxfile://usr`) live across launches;
         *  default: `miniapp/` in the app's `filesDir`. */
        val dataDir: String? = null,
        /** The host checks its server for newer versions of this app and reports each step with
         *  [send]`(HostEventRecord.Update(…))` (`wx.getUpdateManager`); the app's `applyUpdate()`
         *  then reaches [hostServices] as the call `applyUpdate`. False: no update is reported. */
        val checksUpdates: Boolean = false,
    )

    companion object {
        /** Opens the mini program in [dir] (the folder with `app.json`, or a ZIP of it) into [view]. */
        @JvmStatic
        @JvmOverloads
        fun open(view: MiniAppView, dir: String, options: Options = Options()): MiniApp {
            val app = MiniApp(view)
            val metrics = view.resources.displayMetrics
            val (width, height) = options.viewport
                ?: Pair(metrics.widthPixels / metrics.density, metrics.heightPixels / metrics.density)
            val config = JSONObject()
                .put("clock", options.clock)
                .put("viewport", JSONObject().put("width", width).put("height", height).put("pixelRatio", metrics.density))
                .put("policy", options.policyJson?.let(::JSONObject) ?: JSONObject().put("grant", JSONArray(options.grant)))
                .put("dataDir", options.dataDir ?: File(view.context.filesDir, "miniapp").path)
                .put("host", JSONObject()
                    .put("platform", "android")
                    .put("brand", Build.BRAND ?: "")
                    .put("model", Build.MODEL ?: "")
                    .put("system", "Android ${Build.VERSION.RELEASE ?: ""}")
                    .put("language", Locale.getDefault().toLanguageTag().replace('-', '_'))
                    .put("hostAppId", view.context.packageName ?: "")
                    .put("checksUpdates", options.checksUpdates))
            options.appId?.let { config.put("appId", it) }
            val log: (String, String) -> Unit = options.log ?: { level, message -> Log.i("miniapp", "[$level] $message") }
            app.core = Core.open(
                dir,
                config.toString(),
                app.Listener(),
                options.hostServices ?: DefaultHostServices(view.context),
                object : LogSink {
                    override fun log(appId: String, level: String, message: String) {
                        log(level, message)
                    }
                },
                if (options.measureText) AndroidTextMeasurer() else null,
            )
            view.attachPackage(File(dir))
            view.onTap = { node -> app.send(HostEventRecord.Tap(node)) }
            view.onUserAction = { node, action -> app.send(HostEventRecord.Act(node, action)) }
            view.onPageScroll = { top, height -> app.send(HostEventRecord.PageScroll(top.toDouble(), height.toDouble())) }
            view.onTabTap = { index -> app.send(HostEventRecord.TabTap(index.toUInt())) }
            return app
        }
    }

    private inner class Listener : FrameListener {
        override fun framesReady() {
            main.post { if (!closed) core.takeFrames().forEach(view::apply) }
        }

        override fun commandFailed(detail: String) {
            Log.w("miniapp", "command failed: $detail")
        }

        override fun closed() {
            threadDone = true
        }
    }

    /** Starts at [url] (`pages/x/x?a=1`; null: the entry page) from [scene]. */
    @JvmOverloads
    fun launch(url: String? = null, scene: Int = 1001) = send(HostEventRecord.Launch(url, scene.toUInt()))

    /** Reports anything the host app did or saw ([HostEventRecord]). */
    fun send(event: HostEventRecord) {
        if (!closed) core.send(event)
    }

    /** The activity paused: the mini program goes to the background. */
    fun pause() = send(HostEventRecord.Hide)

    /** The activity resumed. */
    @JvmOverloads
    fun resume(scene: Int = 1001) = send(HostEventRecord.Show(scene.toUInt()))

    /** The back button: true when the mini program went back, false when the host should leave it. */
    fun back(): Boolean = !closed && core.request(HostEventRecord.Back).handled

    /** The node matching a selector (`#id`, `.class`, tag…) on the current page. */
    fun select(selector: String): UInt = core.select(selector)

    /** The current tree as indented text, each node with its frame (tools and tests). */
    fun dump(): String = core.dump()

    /** Virtual time passes (apps opened with `clock = "virtual"`). */
    fun advance(ms: Double) = send(HostEventRecord.Advance(ms))

    @Volatile
    private var threadDone = false

    /** True once the app's logic thread has finished (after [close], or when it stopped). */
    val isStopped: Boolean get() = threadDone

    /** Stops the mini program and frees it; returns at once. */
    override fun close() {
        if (closed) return
        closed = true
        core.stop()
        core.close()
    }
}
