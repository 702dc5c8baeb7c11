// Drives examples/campus through the generated Kotlin bindings on the JVM (JNA), applying frames
// to a small in-memory view tree as a real renderer would. Built and run by
// bindings/tests/kotlin.rs.
import dev.miniapp.FrameBatch
import dev.miniapp.FrameListener
import dev.miniapp.HostCallRecord
import dev.miniapp.HostReply
import dev.miniapp.HostEventRecord
import dev.miniapp.HostServices
import dev.miniapp.LogSink
import dev.miniapp.MiniApp
import dev.miniapp.MiniappException
import dev.miniapp.RenderOpRecord
import dev.miniapp.FontRecord
import dev.miniapp.SafeAreaRecord
import dev.miniapp.TextMeasurer
import dev.miniapp.TextMetricsRecord
import dev.miniapp.UpdateStateRecord
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Semaphore
import java.util.concurrent.TimeUnit

/** A native view stand-in: what an Android renderer would keep per node id. */
class ViewNode(val id: UInt, val tag: String, var text: String = "") {
    val children = mutableListOf<ViewNode>()
    val attrs = mutableMapOf<String, String>()
    val listens = mutableSetOf<String>()
    var parent: ViewNode? = null
    var styleJson = "{}"
    var frame = floatArrayOf(0f, 0f, 0f, 0f)
}

/** Applies render ops exactly as docs/render-protocol.md describes them. */
class ViewTree {
    val nodes = mutableMapOf(1u to ViewNode(1u, "root"))

    private fun detach(node: ViewNode) {
        node.parent?.children?.remove(node)
        node.parent = null
    }

    fun apply(frame: FrameBatch) = frame.ops.forEach { op ->
        when (op) {
            is RenderOpRecord.Create -> nodes[op.id] = ViewNode(op.id, op.tag)
            is RenderOpRecord.CreateText -> nodes[op.id] = ViewNode(op.id, "#text", op.text)
            is RenderOpRecord.Insert -> {
                val parent = nodes.getValue(op.parent)
                val child = nodes.getValue(op.id)
                detach(child)
                val at = op.before?.let { b -> parent.children.indexOfFirst { it.id == b } } ?: -1
                if (at >= 0) parent.children.add(at, child) else parent.children.add(child)
                child.parent = parent
            }
            is RenderOpRecord.Remove -> detach(nodes.getValue(op.id))
            is RenderOpRecord.Release -> nodes.remove(op.id)?.let { detach(it) }
            is RenderOpRecord.SetText -> nodes.getValue(op.id).text = op.text
            is RenderOpRecord.SetAttr -> {
                val n = nodes.getValue(op.id)
                if (op.valueJson == null) n.attrs.remove(op.name) else n.attrs[op.name] = op.valueJson
            }
            is RenderOpRecord.Listen -> nodes.getValue(op.id).let { if (op.on) it.listens.add(op.event) else it.listens.remove(op.event) }
            is RenderOpRecord.SetStyle -> nodes.getValue(op.id).styleJson = op.styleJson
            is RenderOpRecord.SetFrame -> nodes.getValue(op.id).frame = floatArrayOf(op.x, op.y, op.width, op.height)
            is RenderOpRecord.ScrollTo -> nodes.getValue(op.id).attrs["scrollTop"] = op.top.toString()
        }
    }

    fun text(node: ViewNode = nodes.getValue(1u)): String =
        if (node.tag == "#text") node.text else node.children.joinToString("") { text(it) }

    fun page(): ViewNode? = nodes.getValue(1u).children.lastOrNull()

    fun pages(): List<String> = nodes.getValue(1u).children.mapNotNull { it.attrs["route"] }
}

/** The host side of wx calls: answers what this "device" can do and records every call. */
class TestHost : HostServices {
    val calls = java.util.Collections.synchronizedList(mutableListOf<HostCallRecord>())

    override fun call(call: HostCallRecord, reply: HostReply) {
        calls.add(call)
        when (call.api) {
            "getNetworkType" -> reply.ok("""{"networkType":"5g"}""")
            "showToast" -> reply.ok("")
            else -> reply.fail("${call.api} is not available on this test host")
        }
    }

    override fun cancel(appId: String, id: ULong) {}
}

var failures = 0
fun check(cond: Boolean, what: String) {
    if (!cond) {
        System.err.println("CHECK failed: $what")
        failures++
    }
}

inline fun <reified E> expectThrows(what: String, block: () -> Unit) {
    val e = runCatching(block).exceptionOrNull()
    check(e is E, "$what: expected ${E::class.simpleName}, got $e")
}

/** Per-frame cost through uniffi/JNA: post a tap, wait for the one callback, pull the frame. */
fun bench(app: MiniApp, ready: Semaphore) {
    app.tapTab(0u)
    app.dump()
    ready.drainPermits()
    app.takeFrames()
    val node = app.select("#refresh")
    val samples = LongArray(3000)
    for (i in samples.indices) {
        val t0 = System.nanoTime()
        app.dispatch(node, "tap", "")
        ready.acquire()
        app.takeFrames()
        samples[i] = System.nanoTime() - t0
    }
    val warm = samples.drop(500).sorted()
    println("kotlin bench: event -> callback -> takeFrames median ${warm[warm.size / 2] / 1000} us, p90 ${warm[warm.size * 9 / 10] / 1000} us over ${warm.size} frames")
}

fun main(args: Array<String>) {
    val campus = args[0]
    val ready = Semaphore(0)
    val stopped = CountDownLatch(1)
    val commandFailures = mutableListOf<String>()
    val listener = object : FrameListener {
        override fun framesReady() = ready.release()
        override fun commandFailed(detail: String) { synchronized(commandFailures) { commandFailures.add(detail) } }
        override fun closed() = stopped.countDown()
    }

    // Misuse is an exception, never a crash.
        val host = TestHost()
    val logLines = java.util.Collections.synchronizedList(mutableListOf<String>())
    val log = object : LogSink {
        override fun log(appId: String, level: String, message: String) { logLines.add("$appId $level $message") }
    }
    expectThrows<MiniappException.InvalidPackage>("missing dir") { MiniApp.open("/definitely/not/here", "", listener, host, log) }
    expectThrows<MiniappException.InvalidArgument>("bad config") { MiniApp.open(campus, "{not json", listener, host, log) }
    expectThrows<MiniappException.InvalidArgument>("bad policy") { MiniApp.open(campus, """{"policy":{"grant":"ui"}}""", listener, host, log) }

    // The host grants storage, UI and device information, but not the clipboard.
    val config = """{"clock":"virtual","viewport":{"width":375,"height":667,"pixelRatio":3},"policy":{"grant":["storage","ui","device"]}}"""
    val app = MiniApp.open(campus, config, listener, host, log)
    val tree = ViewTree()
    app.launch(null, 1001u)
    check(ready.tryAcquire(10, TimeUnit.SECONDS), "frames after launch")
    app.takeFrames().forEach(tree::apply)
    check(tree.pages() == listOf("\"pages/index/index\""), "page stack ${tree.pages()}")
        check(tree.text().contains("Refreshed 0 times"), "first render")
    check(tree.page()?.frame?.get(2) == 375f, "the page is laid out at the viewport width: ${tree.page()?.frame?.toList()}")
    check(tree.nodes.values.any { it.styleJson.contains("\"backgroundColor\"") }, "resolved styles reach the host")
    app.dump() // the host's reply to getNetworkType arrives as its own task
    app.takeFrames().forEach(tree::apply)
    check(tree.text().contains("Network: 5g"), "a host request answered from Kotlin")
    check(logLines.any { it.contains("log [app] onLaunch") }, "console output reaches the log sink: ${logLines.take(3)}")

    // Starring a post stores it and shows a toast through the host.
    app.tap(app.select("#star-2"))
    app.dump()
    app.takeFrames().forEach(tree::apply)
    check(host.calls.any { it.api == "showToast" && it.argsJson.contains("Starred") }, "showToast recorded: ${host.calls.map { it.api }}")

    // Copying a link needs the clipboard, which this host does not grant: the call fails in
    // the mini program and never reaches the host.
    app.tap(app.select("#item-3"))
    app.tap(app.select("#copy-link"))
    app.dump()
    app.takeFrames().forEach(tree::apply)
    check(tree.text().contains("Copy failed: setClipboardData:fail no permission"), "denied capability")
    check(host.calls.none { it.api == "setClipboardData" }, "a denied call never reaches the host")
    app.back()

    // A tap changes data through setData; the frame carries only the change.
    val refresh = app.select("#refresh")
    app.tap(refresh)
    check(ready.tryAcquire(10, TimeUnit.SECONDS), "frames after tap")
    app.select("#refresh") // waits until the tap's work is done
    val frames = app.takeFrames()
    frames.forEach(tree::apply)
    check(tree.text().contains("Refreshed 1 time"), "tap result in the applied tree")
    check(frames.flatMap { it.ops }.any { it is RenderOpRecord.SetText }, "a set_text op")

    // Routing from the host: open a post, back, switch tab.
    app.tap(app.select("#item-3"))
    app.back()
    app.tapTab(2u)
    app.dump() // waits until the posted work is done
    app.takeFrames().forEach(tree::apply)
    check(tree.pages() == listOf("\"pages/about/about\""), "after tab switch: ${tree.pages()}")

    if (args.getOrNull(1) == "--bench") bench(app, ready)

    expectThrows<MiniappException.InvalidArgument>("bad detail JSON") { app.dispatch(refresh, "tap", "{bad") }
    expectThrows<MiniappException.InvalidArgument>("unknown user action") { app.act(refresh, """{"action":"fly"}""") }
    expectThrows<MiniappException.NotFound>("no match") { app.select("#no-such-element") }
    check(commandFailures.isEmpty(), "no command failed: $commandFailures")

    // Every kind of host event, typed, on an app that logs what each reaches.
    if (args.size > 1 && args[1] != "--bench") {
        val eventsLog = java.util.Collections.synchronizedList(mutableListOf<String>())
        val events = MiniApp.open(
            args[1],
            """{"clock":"virtual","policy":{"grant":["storage","ui","device","network"]}}""",
            listener,
            host,
            object : LogSink { override fun log(appId: String, level: String, message: String) { eventsLog.add(message) } },
        )
        val sent = listOf(
            HostEventRecord.Launch(null, 1001u),
            HostEventRecord.PageScroll(300.0, 1000.0),
            HostEventRecord.ReachBottom,
            HostEventRecord.PullDown,
            HostEventRecord.Resize(667.0, 375.0, SafeAreaRecord(0.0, 44.0, 44.0, 21.0)),
            HostEventRecord.NetworkChange(false, "none"),
            HostEventRecord.ThemeChange("dark"),
            HostEventRecord.KeyboardHeight(260.0),
            HostEventRecord.MemoryWarning(10u),
            HostEventRecord.Update(UpdateStateRecord.READY),
            HostEventRecord.Dispatch(3u, "longpress", ""),
            HostEventRecord.Act(5u, """{"action":"type","text":"Ann"}"""),
            HostEventRecord.Tap(3u),
            HostEventRecord.Advance(100.0),
            HostEventRecord.Hide,
            HostEventRecord.Show(1011u),
            HostEventRecord.TabTap(1u),
            HostEventRecord.Back,
        )
        sent.forEach(events::send)
        check(events.request(HostEventRecord.TabTap(0u)).handled, "tab 0 handled")
        val share = events.request(HostEventRecord.Share("menu"))
        check(share.handled && share.resultJson.contains("\"title\":\"Share menu\""), "share result: $share")
        check(events.dump().contains("w=667"), "relaid out at the new width")
        for (line in listOf(
            "onPageScroll 300", "onReachBottom", "onPullDownRefresh", "onResize {\"windowWidth\":667",
            "wx.onNetworkStatusChange {\"isConnected\":false", "App.onThemeChange dark",
            "wx.onKeyboardHeightChange {\"height\":260}", "wx.onMemoryWarning {\"level\":10}",
            "UpdateManager.onUpdateReady",
            "longpress", "input Ann", "App.onHide", "App.onShow 1011", "other onShow",
        )) {
            check(eventsLog.any { it.contains(line) }, "host events: the app never logged `$line`: $eventsLog")
        }
        expectThrows<MiniappException.InvalidArgument>("bad action JSON") { events.send(HostEventRecord.Act(5u, "{")) }
        events.stop()
        events.close()
    }

    // Text measured by the host's "fonts": every character 10 px wide, one line.
    val measured = java.util.Collections.synchronizedList(mutableListOf<String>())
    val wide = object : TextMeasurer {
        override fun measure(text: String, font: FontRecord, maxWidth: Float?): TextMetricsRecord {
            measured.add(text)
            return TextMetricsRecord(10f * text.length, font.lineHeight, font.size, 1u)
        }
    }
    val fonts = MiniApp.open(campus, config, listener, host, null, wide)
    fonts.launch(null, 1001u)
    val wideTree = fonts.dump()
    check(wideTree.contains("\"Refreshed 0 times\" [x=0 y=0 w=170 "), "the host's metrics lay text out: ${wideTree.lines().firstOrNull { it.contains("Refreshed") }}")
    check(measured.contains("Refreshed 0 times"), "the measurer was asked")
    fonts.stop()
    fonts.close()
    val throwing = object : TextMeasurer {
        override fun measure(text: String, font: FontRecord, maxWidth: Float?): TextMetricsRecord =
            throw MiniappException.Failed("no fonts here")
    }
    val fallback = MiniApp.open(campus, config, listener, host, null, throwing)
    fallback.launch(null, 1001u)
    val fallbackTree = fallback.dump()
    check(fallbackTree.contains("\"Refreshed 0 times\" [x=0 y=0 w=102 "), "a throwing measurer falls back to the headless formula: ${fallbackTree.lines().firstOrNull { it.contains("Refreshed") }}")
    fallback.stop()
    fallback.close()

    app.stop()
    check(stopped.await(5, TimeUnit.SECONDS), "closed callback")
    expectThrows<MiniappException.Closed>("tap after stop") { app.tap(refresh) }
    app.close() // frees the Rust object
    expectThrows<IllegalStateException>("use after close") { app.tap(refresh) }

    if (failures > 0) {
        System.err.println("kotlin: $failures check(s) failed")
        kotlin.system.exitProcess(1)
    }
    println("kotlin: all checks passed")
}
