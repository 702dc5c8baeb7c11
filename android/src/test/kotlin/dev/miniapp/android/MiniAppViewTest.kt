package dev.miniapp.android

import android.app.Activity
import android.os.Looper
import android.view.View
import android.widget.TextView
import dev.miniapp.FontRecord
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode
import org.robolectric.shadows.ShadowToast

/**
 * The Android host library under Robolectric (real `android.*` classes, SDK 34, native
 * graphics), driving the campus example through the desktop build of libminiapp_ffi.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
@GraphicsMode(GraphicsMode.Mode.NATIVE) // real text shaping and fonts, as on a device
class MiniAppViewTest {
    private val campus = System.getProperty("miniapp.campus") ?: "../examples/campus"
    private val activity: Activity = Robolectric.buildActivity(Activity::class.java).setup().get()
    private val view = MiniAppView(activity).also { activity.setContentView(it) }
    private val logs = java.util.Collections.synchronizedList(mutableListOf<String>())
    private var app: MiniApp? = null

    private fun open(measureText: Boolean = true): MiniApp =
        MiniApp.open(
            view,
            campus,
            MiniApp.Options(viewport = 375f to 667f, clock = "virtual", measureText = measureText, log = { level, m -> logs.add("$level $m") }),
        ).also { app = it }

    /** Opens the test app `src/test/resources/apps/[name]` on a virtual clock. */
    private fun openTestApp(name: String, policyJson: String? = null): MiniApp {
        val dir = java.io.File(javaClass.getResource("/apps/$name/app.json")!!.toURI()).parent
        val options = MiniApp.Options(viewport = 375f to 667f, clock = "virtual", policyJson = policyJson)
        return MiniApp.open(view, dir, options).also { app = it }
    }

    /** Whether a console line containing [text] was logged (the log arrives from the logic
     *  thread: read it under the list's lock). */
    private fun logged(text: String): Boolean = synchronized(logs) { logs.any { it.contains(text) } }

    /** Opens the test fixture app `tests/fixtures/[name]/app` on a virtual clock, its console
     *  output recorded. */
    private fun openFixture(name: String): MiniApp {
        val repo = java.io.File(campus).absoluteFile.parentFile.parentFile
        val dir = repo.resolve("tests/fixtures/$name/app").path
        val options = MiniApp.Options(viewport = 375f to 667f, clock = "virtual", log = { level, m -> logs.add("$level $m") })
        return MiniApp.open(view, dir, options).also { app = it }
    }

    /** Runs the main looper until [done] holds (frames arrive from the logic thread). */
    private fun settle(what: String, done: () -> Boolean) {
        val end = System.nanoTime() + 10_000_000_000L
        while (System.nanoTime() < end) {
            shadowOf(Looper.getMainLooper()).idle()
            if (done()) return
            Thread.sleep(5)
        }
        throw AssertionError("timed out waiting for $what; page text:\n${view.visibleText()}\nlogs: $logs")
    }

    private fun layOut() {
        view.measure(
            View.MeasureSpec.makeMeasureSpec(375, View.MeasureSpec.EXACTLY),
            View.MeasureSpec.makeMeasureSpec(667, View.MeasureSpec.EXACTLY),
        )
        view.layout(0, 0, 375, 667)
    }

    @After
    fun close() {
        app?.close()
    }

    @Test
    fun drawsThePageWithNativeViewsAndAnswersTaps() {
        val app = open()
        app.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        assertTrue(view.visibleText(), view.visibleText().contains("河畔大学 Riverside University"))
        val first = view.applyStats.let { Triple(it.frames, it.ops, it.nanos) }

        // Text runs are TextViews in the core's font; elements sit at the core's frames.
        layOut()
        val title = findText(view, "河畔大学 Riverside University")!!
        assertEquals(18f, title.textSize, 0.01f)
        val refresh = view.viewOf(app.select("#refresh"))!!
        assertTrue("a tappable button", refresh.isClickable)
        val onScreen = IntArray(2).also(refresh::getLocationInWindow)
        assertTrue("laid out at its frame: ${onScreen.toList()}", onScreen[0] > 200 && onScreen[1] > 150)

        // A tap goes to the core; the page updates through the next frame.
        refresh.performClick()
        settle("the tap's frame") { view.visibleText().contains("Refreshed 1 time") }
        val stats = view.applyStats
        println(
            "android: first render ${first.second} ops in ${first.first} frames applied in %.1f ms; tap %d ops in %d frames applied in %.2f ms"
                .format(first.third / 1e6, stats.ops - first.second, stats.frames - first.first, (stats.nanos - first.third) / 1e6),
        )

        // Back on the first page: the host should leave the mini program.
        assertEquals(false, app.back())

        // The page as Android's own Canvas draws it (native graphics): a PNG beside the build.
        layOut()
        val bitmap = android.graphics.Bitmap.createBitmap(375, 667, android.graphics.Bitmap.Config.ARGB_8888)
        view.draw(android.graphics.Canvas(bitmap))
        val colors = HashSet<Int>()
        for (y in 0 until 667 step 3) for (x in 0 until 375 step 3) colors.add(bitmap.getPixel(x, y))
        assertTrue("the page is drawn, not blank: ${colors.size} colors", colors.size > 20)
        // a card's `border-left: 4px solid transparent` paints nothing (it once drew a black frame)
        val card = view.viewOf(app.select(".card"))!!.background as BoxDrawable
        val (widths, sideColors) = card.borders()
        assertEquals(0, sideColors[3] ushr 24)
        assertTrue("only the left side has a width: ${widths.toList()}", widths[3] > 0f && widths[0] == 0f)
        assertTrue("no black frame", (0 until 667 step 3).none { y -> bitmap.getPixel(20, y) == android.graphics.Color.BLACK })
        // the hero's `background: linear-gradient(135deg, #1f6feb, #4f8ff7)` is painted
        val hero = view.viewOf(app.select(".hero"))!!
        val gradient = (hero.background as BoxDrawable).backgroundGradient()!!
        assertEquals(135f, gradient.angle, 0.01f)
        assertEquals(CssStyle.parseColor("#1f6feb"), gradient.colors[0])
        val at = IntArray(2).also(hero::getLocationInWindow)
        val origin = IntArray(2).also(view::getLocationInWindow)
        val middle = bitmap.getPixel(at[0] - origin[0] + hero.width / 2, at[1] - origin[1] + 8)
        assertTrue("blue under the hero: ${Integer.toHexString(middle)}", android.graphics.Color.blue(middle) > 200 && android.graphics.Color.red(middle) < 120)
        val png = java.io.File("target/campus-android.png")
        png.outputStream().use { bitmap.compress(android.graphics.Bitmap.CompressFormat.PNG, 100, it) }
        println("android: campus home drawn by Android's Canvas: ${png.absolutePath} (${colors.size} colors sampled)")

        // Closing the view's app stops its logic thread.
        app.close()
        settle("the app thread to stop") { app.isStopped }
    }

    @Test
    fun navigationTabsBackAndTyping() {
        val app = open()
        app.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        assertEquals("校园服务 Campus", view.titleBar.text.toString())
        assertEquals(listOf("News", "Timetable", "About"), view.tabLabels())
        assertEquals(View.VISIBLE, view.tabBar.visibility)

        // A card opens the detail page (a push); back returns.
        view.viewOf(app.select("#item-3"))!!.performClick()
        settle("the detail page") { app.dump().contains("route=\"pages/detail/detail\"") && view.titleBar.text.toString() != "校园服务 Campus" }
        assertEquals(View.GONE, view.tabBar.visibility)
        assertTrue(app.back())
        settle("back on the list") { view.titleBar.text.toString() == "校园服务 Campus" }

        // The tab bar switches tabs.
        view.tabBar.getChildAt(1).performClick()
        settle("the timetable") { app.dump().contains("route=\"pages/schedule/schedule\"") }
        view.tabBar.getChildAt(0).performClick()
        settle("the list again") { view.visibleText().contains("Refreshed 0 times") }

        // Typing into a field reaches the page's data (model:value).
        view.viewOf(app.select("#service-feedback"))!!.performClick()
        settle("the feedback form") { runCatching { view.viewOf(app.select("#fb-name")) != null }.getOrDefault(false) }
        val name = view.viewOf(app.select("#fb-name")) as android.widget.EditText
        name.setText("Ann")
        settle("the typed name") { app.dump().contains("value=\"Ann\"") }

        // A SeekBar for the slider (value 3 of 1..5), a RadioButton, then submit.
        val rating = view.viewOf(app.select("#fb-rating")) as android.widget.SeekBar
        assertEquals(4, rating.max)
        assertEquals(2, rating.progress)
        // The user drags the thumb to the end and lifts the finger.
        rating.progress = 4
        shadowOf(rating).onSeekBarChangeListener.onProgressChanged(rating, 4, true)
        shadowOf(rating).onSeekBarChangeListener.onStopTrackingTouch(rating)
        val phone = view.viewOf(app.select("#fb-phone")) as android.widget.RadioButton
        phone.performClick()
        settle("the radio") { app.dump().contains("<radio id=\"fb-phone\" checked=\"true\"") }
        // The topic picker is Android's own single-choice dialog.
        view.viewOf(app.select("#fb-topic"))!!.performClick()
        val dialog = org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()!!
        shadowOf(dialog).clickOnItem(2)
        settle("the picked topic") { !view.visibleText().contains("Teaching") }
        (view.viewOf(app.select("#fb-message")) as android.widget.EditText).setText("Great library")
        view.viewOf(app.select("#fb-submit"))!!.performClick()
        settle("the sent note") { view.visibleText().contains("Thanks, Ann!") && view.visibleText().contains("(5/5)") }
    }

    @Test
    fun hostServicesShowToastsAndAnswerTheNetworkType() {
        val app = open()
        app.launch()
        settle("the first page") { view.visibleText().contains("Network: ") && !view.visibleText().contains("Network: checking") }
        assertTrue(view.visibleText(), view.visibleText().contains("Network: wifi") || view.visibleText().contains("Network: 4g") || view.visibleText().contains("Network: none") || view.visibleText().contains("Network: unknown"))
        view.viewOf(app.select("#star-2"))!!.performClick()
        settle("the toast") { ShadowToast.getTextOfLatestToast() == "Starred" }
        // the star was stored under the app's filesDir, where it lasts across launches
        val stores = java.io.File(activity.filesDir, "miniapp").walk().filter { it.name == "storage.sqlite" }.toList()
        assertEquals("one store under filesDir/miniapp: $stores", 1, stores.size)

        // The clipboard is not granted by default: the call fails in the mini program with
        // WeChat's errMsg and never reaches Android's clipboard.
        view.viewOf(app.select("#item-3"))!!.performClick()
        settle("the detail page") { runCatching { view.viewOf(app.select("#copy-link")) != null }.getOrDefault(false) }
        view.viewOf(app.select("#copy-link"))!!.performClick()
        settle("the refusal") { view.visibleText().contains("Copy failed: setClipboardData:fail no permission") }
    }

    @Test
    fun requestsGoOverHttpToTheAllowlistedUrl() {
        val server = com.sun.net.httpserver.HttpServer.create(java.net.InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/news") { exchange ->
            val body = """{"title":"From Android"}""".toByteArray()
            exchange.responseHeaders.add("Content-Type", "application/json")
            exchange.sendResponseHeaders(200, body.size.toLong())
            exchange.responseBody.use { it.write(body) }
        }
        server.start()
        try {
            val port = server.address.port
            val policy = """{"grant":["network","ui","storage"],"network":{"allowInsecure":true}}""" // loopback test servers
            val app = openTestApp("network", policy)
            val url = java.net.URLEncoder.encode("http://127.0.0.1:$port/news", "UTF-8")
            app.launch("pages/index/index?url=$url")
            settle("the response") { view.visibleText().contains("HTTP 200") && view.visibleText().contains("From Android") }
        } finally {
            server.stop(0)
        }
    }

    @Test
    fun networkImagesLoadAndReportTheirSize() {
        val png = java.io.ByteArrayOutputStream().also {
            android.graphics.Bitmap.createBitmap(64, 32, android.graphics.Bitmap.Config.ARGB_8888)
                .compress(android.graphics.Bitmap.CompressFormat.PNG, 100, it)
        }.toByteArray()
        val server = com.sun.net.httpserver.HttpServer.create(java.net.InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/pic.png") { exchange ->
            exchange.responseHeaders.add("Content-Type", "image/png")
            exchange.sendResponseHeaders(200, png.size.toLong())
            exchange.responseBody.use { it.write(png) }
        }
        server.start()
        try {
            val app = openTestApp("image")
            val url = java.net.URLEncoder.encode("http://127.0.0.1:${server.address.port}/pic.png", "UTF-8")
            app.launch("pages/index/index?url=$url")
            settle("the image") { view.visibleText().contains("loaded 64x32") }
            val image = view.viewOf(app.select("#pic")) as android.widget.ImageView
            assertEquals(64, (image.drawable as android.graphics.drawable.BitmapDrawable).bitmap.width)
            // widthFix: the height follows the laid-out width at the image's 2:1 ratio
            settle("the widthFix frame") { image.node?.frame?.let { it[2] > 0f && it[3] == it[2] / 2f } == true }
        } finally {
            server.stop(0)
        }
    }

    @Test
    fun iconsAreSymbolsInTheirTypesColor() {
        val app = openFixture("builtin_content")
        app.launch()
        settle("the icon") { runCatching { (view.viewOf(app.select("icon")) as? IconView)?.text?.isNotEmpty() }.getOrNull() == true }
        val icon = view.viewOf(app.select("icon")) as IconView
        assertEquals("\u2714", icon.text.toString())
        assertEquals(30f, icon.textSize, 0.01f) // size="30", density 1
        assertEquals(CssStyle.parseColor("#09BB07"), icon.currentTextColor)
    }

    @Test
    fun siblingsDrawInZIndexOrder() {
        val app = openTestApp("zorder")
        app.launch()
        settle("the page") { view.visibleText().contains("under") }
        val box = view.viewOf(app.select("#box")) as NodeLayout
        val ids = box.drawingOrder().map { box.getChildAt(it).node!!.id }
        // z-index -1, then auto (document order), then 2 on top
        assertEquals(listOf(app.select("#under"), app.select("#plain"), app.select("#over")), ids)
    }

    @Test
    fun cssAnimationsAndTransitionsPlayOnTheViews() {
        val app = openTestApp("motion")
        app.launch()
        settle("the page") { view.visibleText().contains("fade") }
        // `pulse`: opacity 1 → 0.2 at half of 400 ms (linear) → 1, forever. Robolectric's frame
        // clock is not the test's, so the animators are sampled at set play times.
        val spin = view.viewOf(app.select("#spin"))!!
        val pulse = CssMotion.animatorOf(spin) as android.animation.ObjectAnimator
        assertEquals(400L, pulse.duration)
        // `infinite` repeats (Robolectric's animator shadow turns INFINITE into 1 to keep tests finite)
        assertTrue("repeats: ${pulse.repeatCount}", pulse.repeatCount != 0)
        pulse.currentPlayTime = 200
        assertEquals(0.2f, spin.alpha, 0.01f)
        pulse.currentPlayTime = 100
        assertEquals(0.6f, spin.alpha, 0.01f)
        // a transitioned opacity change animates from the old value to the new one
        val fade = view.viewOf(app.select("#fade"))!!
        assertEquals(null, CssMotion.animatorOf(fade))
        assertEquals(1f, fade.alpha, 0.001f)
        val styled = fade.node?.style
        fade.performClick()
        settle("the class change") { fade.node?.style !== styled }
        val transition = CssMotion.animatorOf(fade) as android.animation.ObjectAnimator
        assertEquals(300L, transition.duration)
        transition.currentPlayTime = 150
        assertEquals(0.6f, fade.alpha, 0.01f)
        transition.currentPlayTime = 300
        assertEquals(0.2f, fade.alpha, 0.001f)
    }

    @Test
    fun swiperAndScrollViewAreNativeGestures() {
        val app = openFixture("builtin_scroll_swiper")
        app.launch()
        settle("the swiper") { runCatching { view.viewOf(app.select("#sw")) is SwiperLayout }.getOrDefault(false) }
        val swiper = view.viewOf(app.select("#sw")) as SwiperLayout
        fun showing() = (0 until swiper.childCount).map { swiper.getChildAt(it) }
            .filter { it.visibility == View.VISIBLE }
            .map { (it as android.view.ViewGroup).getChildAt(0) as TextView }
            .map { it.text.toString() }
        settle("item A: ${runCatching { showing() }}") { runCatching { showing() }.getOrNull() == listOf("A") }
        swiper.swipe(1) // what a leftward fling does
        settle("item B") { showing() == listOf("B") && swiper.currentItem() == 1 }
        app.advance(5000.0) // autoplay (interval 4000 after the swipe's 300 ms)
        settle("item C") { showing() == listOf("C") }

        // The scroll-view moves its content under a drag and the core hears it (bindscroll).
        val list = view.viewOf(app.select("#list")) as ScrollLayout
        list.dragBy(0f, 150f)
        assertEquals(150, list.scrollY) // density 1
        settle("bindscroll") { logged("scroll list 0 150") }
        list.dragBy(0f, -1000f)
        assertEquals(0, list.scrollY) // not above the top

        // A fling keeps it moving after the finger left, slowing to a stop inside the content.
        list.fling(0f, 2000f)
        shadowOf(Looper.getMainLooper()).idleFor(java.time.Duration.ofSeconds(3))
        val stopped = list.scrollY
        assertTrue("moved on: $stopped", stopped > 150)
        settle("the fling's scroll events") { logged("scroll list 0 $stopped") }
    }

    @Test
    fun fieldsReportFocusBlurConfirmAndMultiColumnPickers() {
        val app = openFixture("builtin_fields")
        app.launch()
        settle("the form") { runCatching { view.viewOf(app.select("#name")) is android.widget.EditText }.getOrDefault(false) }
        val name = view.viewOf(app.select("#name")) as android.widget.EditText
        name.requestFocus()
        settle("focus") { logged("focus name") }
        name.onEditorAction(android.view.inputmethod.EditorInfo.IME_ACTION_DONE)
        settle("confirm") { logged("confirm name") }
        name.clearFocus()
        settle("blur") { logged("blur name") }

        // multiSelector: one wheel per column; moving one is a column change, OK picks them all.
        view.viewOf(app.select("#multi"))!!.performClick()
        val wheels = view.multiPickerWheels()
        assertEquals(listOf(1, 2), wheels.map { it.maxValue })
        assertEquals(listOf("x", "y", "z"), wheels[1].displayedValues.toList())
        wheels[1].value = 2
        shadowOf(wheels[1]).onValueChangeListener.onValueChange(wheels[1], 0, 2)
        settle("the column change") { logged("columnchange multi {\"column\":1,\"value\":2}") }
        val dialog = org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()!!
        dialog.getButton(android.content.DialogInterface.BUTTON_POSITIVE).performClick()
        settle("the pick") { logged("change multi {\"value\":[0,2]}") }

        // region: province, city and district, picked as three names
        view.viewOf(app.select("#region"))!!.performClick()
        val fields = view.regionPickerFields()
        assertEquals(3, fields.size)
        fields[0].setText("广东省")
        fields[1].setText("广州市")
        fields[2].setText("海珠区")
        org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()!!
            .getButton(android.content.DialogInterface.BUTTON_POSITIVE).performClick()
        settle("the region") { logged("change region {\"value\":[\"广东省\",\"广州市\",\"海珠区\"]") }
    }

    @Test
    fun actionSheetsAndVibration() {
        val app = openTestApp("services")
        app.launch()
        settle("the page") { view.visibleText().contains("sheet: none") }
        view.viewOf(app.select("#pick"))!!.performClick()
        settle("the sheet") { org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()?.isShowing == true }
        shadowOf(org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()).clickOnItem(1)
        settle("the choice") { view.visibleText().contains("sheet: picked 1") }
        view.viewOf(app.select("#buzz"))!!.performClick()
        settle("the vibration") { view.visibleText().contains("vibrate: vibrated") }
    }

    @Test
    fun locationAsksTheUserThenReadsTheDeviceInChinasDatum() {
        val policy = """{"grant":["ui","location"]}"""
        val app = openTestApp("services", policy)
        app.launch()
        settle("the page") { view.visibleText().contains("where: none") }

        // without the host app's permission the call fails, naming it (after the user's consent)
        view.viewOf(app.select("#locate"))!!.performClick()
        settle("the consent dialog") { org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()?.isShowing == true }
        val consent = org.robolectric.shadows.ShadowAlertDialog.getLatestAlertDialog()!!
        assertEquals("to show the nearest library", shadowOf(consent).message.toString())
        consent.getButton(android.content.DialogInterface.BUTTON_POSITIVE).performClick()
        settle("the refusal") { view.visibleText().contains("getLocation:fail the host app does not hold the location permission") }

        // with it: the last GPS fix (Tiananmen, WGS-84), shifted to GCJ-02; consent is remembered
        val application = org.robolectric.RuntimeEnvironment.getApplication()
        shadowOf(application).grantPermissions(android.Manifest.permission.ACCESS_FINE_LOCATION)
        val manager = activity.getSystemService(android.content.Context.LOCATION_SERVICE) as android.location.LocationManager
        val fix = android.location.Location(android.location.LocationManager.GPS_PROVIDER).apply {
            latitude = 39.908722
            longitude = 116.397499
            accuracy = 12f
            time = System.currentTimeMillis()
        }
        shadowOf(manager).setProviderEnabled(android.location.LocationManager.GPS_PROVIDER, true)
        shadowOf(manager).simulateLocation(fix)
        view.viewOf(app.select("#locate"))!!.performClick()
        settle("the fix") { view.visibleText().contains("where: 39.91") }
        val where = Regex("where: ([0-9.]+),([0-9.]+) ±12").find(view.visibleText())!!.groupValues
        // GCJ-02 lies about 140 m north and 520 m east of WGS-84 in central Beijing
        assertEquals(0.0014, where[1].toDouble() - fix.latitude, 0.0003)
        assertEquals(0.0062, where[2].toDouble() - fix.longitude, 0.0004)

        // openLocation hands the place to a map app as a geo: URI
        view.viewOf(app.select("#place"))!!.performClick()
        settle("the map") { view.visibleText().contains("map: opened") }
        val intent = shadowOf(activity).nextStartedActivity
        assertEquals(android.content.Intent.ACTION_VIEW, intent.action)
        assertTrue("${intent.data}", intent.data.toString().startsWith("geo:39.908"))
    }

    @Test
    fun chinaCoordinatesRoundTripAndStayPutAbroad() {
        val (lat, lon) = ChinaCoordinates.toGcj02(31.2304, 121.4737) // Shanghai
        assertNotEquals(31.2304, lat, 1e-4)
        val (backLat, backLon) = ChinaCoordinates.toWgs84(lat, lon)
        assertEquals(31.2304, backLat, 1e-7)
        assertEquals(121.4737, backLon, 1e-7)
        assertEquals(48.8584 to 2.2945, ChinaCoordinates.toGcj02(48.8584, 2.2945)) // Paris
    }

    @Test
    fun androidMeasuresTheText() {
        val font = FontRecord(16f, 20f, 400f, false, 0f)
        val measurer = AndroidTextMeasurer()
        val one = measurer.measure("Riverside University", font, null)
        assertTrue("a width: $one", one.width > 0f)
        assertEquals(1u, one.lines)
        assertEquals(20f, one.height, 0.01f)
        val wrapped = measurer.measure("Riverside University", font, one.width / 2f)
        assertTrue("wraps: $wrapped", wrapped.lines > 1u)

        // Frames follow the host's fonts, not the headless formula.
        val measured = open(measureText = true)
        measured.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        val withAndroid = measured.dump().lines().first { it.contains("\"Refreshed 0 times\"") }
        measured.close()
        val headlessView = MiniAppView(activity)
        val headless = MiniApp.open(headlessView, campus, MiniApp.Options(viewport = 375f to 667f, clock = "virtual", measureText = false))
        headless.launch()
        settle("the headless page") { headlessView.visibleText().contains("Refreshed 0 times") }
        val withFormula = headless.dump().lines().first { it.contains("\"Refreshed 0 times\"") }
        headless.close()
        assertNotEquals(withFormula, withAndroid)
    }

    private fun findText(v: View, text: String): TextView? {
        if (v is TextView && v.text.toString() == text) return v
        if (v is android.view.ViewGroup) for (i in 0 until v.childCount) findText(v.getChildAt(i), text)?.let { return it }
        return null
    }
}
