// A minimal Kotlin (JVM) host for miniapp: open a mini program, launch it, apply each batch of
// frames when the logic thread says they are ready, tap a button, close.
//
// Build and run from the repository root (kotlinc from your Kotlin install or npm's
// `kotlin-compiler`; jna.jar from Debian's libjna-java or Maven Central's net.java.dev.jna:jna):
//   cargo build -p miniapp-ffi --release
//   cargo run -p miniapp-uniffi-bindgen -- generate --no-format --language kotlin \
//       --library target/release/libminiapp_ffi.so --out-dir out
//   kotlinc out/dev/miniapp/miniapp.kt examples/embed/kotlin/Main.kt -cp jna.jar -d host.jar
//   java -Djna.library.path=target/release -cp host.jar:jna.jar:kotlin-stdlib.jar \
//       example.MainKt examples/campus
package example

import dev.miniapp.FrameListener
import dev.miniapp.HostCallRecord
import dev.miniapp.HostReply
import dev.miniapp.HostServices
import dev.miniapp.LogSink
import dev.miniapp.MiniApp
import java.util.concurrent.Semaphore
import java.util.concurrent.TimeUnit

fun main(args: Array<String>) {
    val ready = Semaphore(0)
    // Called on the app's logic thread: an Android host posts to its UI thread here.
    val listener = object : FrameListener {
        override fun framesReady() = ready.release()
        override fun commandFailed(detail: String) = System.err.println("command failed: $detail")
        override fun closed() {}
    }
    // What only the host app can do; this one answers the network type and refuses the rest.
    val host = object : HostServices {
        override fun call(call: HostCallRecord, reply: HostReply) = when (call.api) {
            "getNetworkType" -> reply.ok("""{"networkType":"wifi"}""")
            else -> reply.fail("${call.api} is not available in this host")
        }
        override fun cancel(appId: String, id: ULong) {}
    }
    val log = object : LogSink {
        override fun log(appId: String, level: String, message: String) = println("[app] $level: $message")
    }
    // What this host grants the mini program: storage, UI (toasts, dialogs) and device facts.
    val config = """{"viewport":{"width":375,"height":667,"pixelRatio":3},"policy":{"grant":["storage","ui","device"]}}"""

    val app = MiniApp.open(args[0], config, listener, host, log)
    fun applyFrames(): Int {
        check(ready.tryAcquire(5, TimeUnit.SECONDS)) { "no frames within 5 s" }
        ready.drainPermits()
        // A real host creates, updates and moves its views here (RenderOpRecord.Create, ...).
        return app.takeFrames().sumOf { it.ops.size }
    }
    app.launch(null, 1001u)
    println("launched: ${applyFrames()} ops")
    val refresh = app.select("#refresh")
    app.tap(refresh)
    println("tapped #refresh (node $refresh): ${applyFrames()} ops")
    val count = Regex("\"(Refreshed [^\"]*)\"").find(app.dump())?.groupValues?.get(1)
    println("page says: $count")
    app.stop() // returns at once; the logic thread ends
    app.close() // frees the app
}
