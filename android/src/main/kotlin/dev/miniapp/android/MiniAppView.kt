package dev.miniapp.android

import android.content.Context
import android.graphics.BitmapFactory
import android.text.Editable
import android.text.TextWatcher
import android.view.Gravity
import android.view.View
import android.view.ViewGroup
import android.widget.CheckBox
import android.widget.CompoundButton
import android.widget.EditText
import android.widget.FrameLayout
import android.widget.ImageView
import android.widget.LinearLayout
import android.widget.ProgressBar
import android.widget.RadioButton
import android.widget.ScrollView
import android.widget.SeekBar
import android.widget.Switch
import android.widget.TextView
import dev.miniapp.FrameBatch
import dev.miniapp.RenderOpRecord
import org.json.JSONObject
import org.json.JSONTokener
import java.io.File

/**
 * Draws a mini program with native Android views, from the render protocol's ops alone
 * (docs/render-protocol.md): every element becomes a [NodeLayout] (or, for built-ins with a
 * native twin, an [ImageView], [EditText] or [Switch]), every text run a [TextView], placed at
 * the frame the core computed. Each page scrolls in its own [ScrollView]; only the top page is
 * shown, under a navigation bar drawn from its `window` attribute and above the tab bar drawn
 * from the root's `tabBar` attribute. User input goes back to the core as host events through
 * [MiniApp].
 *
 * UI thread only: [apply] is called by [MiniApp] after it pulled the frames.
 */
class MiniAppView(context: Context) : LinearLayout(context) {
    private val density = resources.displayMetrics.density
    private val nodes = HashMap<UInt, View>()
    private val pageScrolls = LinkedHashMap<UInt, ScrollView>()
    private val pageWindows = HashMap<UInt, JSONObject>()

    /** The navigation bar: the top page's title on its bar color. */
    val titleBar = TextView(context).apply {
        gravity = Gravity.CENTER
        textSize = 17f
        setTypeface(typeface, android.graphics.Typeface.BOLD)
    }
    private val pageArea = FrameLayout(context)

    /** The tab bar: one label per `tabBar.list` item, shown on tab pages. */
    val tabBar = LinearLayout(context).apply {
        orientation = HORIZONTAL
        visibility = GONE
    }

    /** The soft keyboard's height in CSS px (0: hidden), from the window's IME insets. */
    private var keyboardHeight = 0f

    init {
        // The focused field hears the keyboard change height (`bindkeyboardheightchange`).
        setOnApplyWindowInsetsListener { v, insets ->
            val ime = if (android.os.Build.VERSION.SDK_INT >= 30) {
                insets.getInsets(android.view.WindowInsets.Type.ime()).bottom
            } else {
                @Suppress("DEPRECATION")
                insets.systemWindowInsetBottom
            }
            val height = ime / density
            if (height != keyboardHeight) {
                keyboardHeight = height
                (findFocus() as? EditText)?.node?.let { info ->
                    onUserAction(info.id, JSONObject().put("action", "keyboardHeight").put("height", height.toDouble()).toString())
                }
            }
            v.onApplyWindowInsets(insets)
        }
        orientation = VERTICAL
        addView(titleBar, LayoutParams(LayoutParams.MATCH_PARENT, (44 * density).toInt()))
        addView(pageArea, LayoutParams(LayoutParams.MATCH_PARENT, 0, 1f))
        addView(tabBar, LayoutParams(LayoutParams.MATCH_PARENT, (50 * density).toInt()))
    }
    private var packageDir: File? = null
    private var applying = false

    internal var onTap: (UInt) -> Unit = {}
    internal var onUserAction: (UInt, String) -> Unit = { _, _ -> }
    internal var onPageScroll: (Float, Float) -> Unit = { _, _ -> }
    internal var onTabTap: (Int) -> Unit = {}

    internal fun attachPackage(dir: File) {
        packageDir = dir
    }

    /** The view drawing node [id], if it exists. */
    fun viewOf(id: UInt): View? = nodes[id]

    /** The text of the visible page, runs in document order, one per line (for tests and tools). */
    fun visibleText(): String {
        val page = pageScrolls.values.lastOrNull() ?: return ""
        val out = StringBuilder()
        fun walk(v: View) {
            if (v.visibility != VISIBLE) return
            if (v is TextView && v !is EditText && v !is IconView) out.append(v.text).append('\n')
            if (v is ViewGroup) for (i in 0 until v.childCount) walk(v.getChildAt(i))
        }
        walk(page)
        return out.toString()
    }

    /** Frames and ops applied so far, and the time spent applying them (diagnostics). */
    class ApplyStats(var frames: Int = 0, var ops: Int = 0, var nanos: Long = 0)

    val applyStats = ApplyStats()

    /** Applies one frame's ops in order. */
    fun apply(frame: FrameBatch) {
        val start = System.nanoTime()
        applying = true
        try {
            frame.ops.forEach(::applyOp)
        } finally {
            applying = false
        }
        requestLayout()
        invalidate()
        applyStats.frames += 1
        applyStats.ops += frame.ops.size
        applyStats.nanos += System.nanoTime() - start
    }

    private fun applyOp(op: RenderOpRecord) {
        when (op) {
            is RenderOpRecord.Create -> nodes[op.id] = createElement(op.id, op.tag)
            is RenderOpRecord.CreateText -> nodes[op.id] = TextView(context).apply {
                tag = NodeInfo(op.id, "#text")
                text = op.text
                includeFontPadding = false
                setPadding(0, 0, 0, 0)
                gravity = Gravity.TOP or Gravity.START
            }
            is RenderOpRecord.Insert -> insert(op.parent, op.id, op.before)
            is RenderOpRecord.Remove -> detach(op.id)
            is RenderOpRecord.Release -> {
                detach(op.id)
                nodes.remove(op.id)
            }
            is RenderOpRecord.SetText -> (nodes[op.id] as? TextView)?.text = op.text
            is RenderOpRecord.SetAttr -> setAttr(op.id, op.name, op.valueJson)
            is RenderOpRecord.Listen -> nodes[op.id]?.let { v ->
                val info = v.node ?: return
                if (op.on) info.listens.add(op.event) else info.listens.remove(op.event)
                updateTappable(v, info)
            }
            is RenderOpRecord.SetStyle -> nodes[op.id]?.let { v ->
                val style = CssStyle(op.styleJson)
                val previous = v.node?.style
                val before = CssMotion.snapshot(v)
                v.node?.style = style
                style.applyBox(v, density)
                style.applyTransform(v, density)
                CssMotion.play(v, previous, style, before, density)
                if (v is NodeLayout) style.applyClipping(v)
                (v.parent as? View)?.invalidate() // z-index may reorder the siblings
                (v.parent as? SwiperLayout)?.let { it.show(it.currentItem()) } // only the current item shows
                if (v is TextView && v !is IconView) style.applyText(v, density)
                pageScrolls[op.id]?.visibility = if (style.displayed) v.visibility else GONE
            }
            is RenderOpRecord.SetFrame -> nodes[op.id]?.let { v ->
                v.node?.frame = floatArrayOf(op.x, op.y, op.width, op.height)
                (v.parent as? View)?.requestLayout()
            }
            is RenderOpRecord.ScrollTo -> {
                val target = pageScrolls[op.id] ?: nodes[op.id]
                target?.scrollTo(Math.round(op.left * density), Math.round(op.top * density))
            }
        }
    }

    private fun createElement(id: UInt, tag: String): View {
        val info = NodeInfo(id, tag)
        val view: View = when (tag) {
            "image" -> ImageView(context).apply { scaleType = ImageView.ScaleType.FIT_XY }
            "input", "textarea" -> EditText(context).apply {
                setPadding(0, 0, 0, 0)
                background = null
                isSingleLine = tag == "input"
                if (tag == "input") imeOptions = android.view.inputmethod.EditorInfo.IME_ACTION_DONE
                // focus and blur, with the keyboard's height when it is known (CSS px)
                setOnFocusChangeListener { _, focused ->
                    if (applying) return@setOnFocusChangeListener
                    val action = if (focused) JSONObject().put("action", "focus").put("height", keyboardHeight.toDouble())
                    else JSONObject().put("action", "blur")
                    onUserAction(id, action.toString())
                }
                // the keyboard's confirm key (done/go/next/send, or enter on a single line)
                setOnEditorActionListener { _, _, _ ->
                    onUserAction(id, JSONObject().put("action", "confirm").toString())
                    false
                }
                addTextChangedListener(object : TextWatcher {
                    override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) {}
                    override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) {}
                    override fun afterTextChanged(s: Editable?) {
                        if (applying) return
                        onUserAction(id, JSONObject().put("action", "type").put("text", s.toString()).toString())
                    }
                })
            }
            "switch" -> Switch(context).apply {
                setOnCheckedChangeListener { _: CompoundButton, _: Boolean -> if (!applying) onTap(id) }
            }
            // The core toggles them on a tap and sends `checked` back.
            "checkbox" -> CheckBox(context).apply { setOnClickListener { onTap(id) } }
            "radio" -> RadioButton(context).apply { setOnClickListener { onTap(id) } }
            "slider" -> SeekBar(context).apply {
                setOnSeekBarChangeListener(object : SeekBar.OnSeekBarChangeListener {
                    override fun onProgressChanged(bar: SeekBar, progress: Int, fromUser: Boolean) {
                        if (fromUser && !applying) onUserAction(id, slide(info, progress, false))
                    }
                    override fun onStartTrackingTouch(bar: SeekBar) {}
                    override fun onStopTrackingTouch(bar: SeekBar) {
                        onUserAction(id, slide(info, bar.progress, true))
                    }
                })
            }
            "icon" -> IconView(context)
            "progress" -> ProgressBar(context, null, android.R.attr.progressBarStyleHorizontal).apply {
                max = 100
                isIndeterminate = false
            }
            "scroll-view" -> ScrollLayout(
                context,
                density,
                axes = { Pair(attr(info, "scroll-x") == true, attr(info, "scroll-y") == true) },
                onScrolled = { left, top ->
                    onUserAction(id, JSONObject().put("action", "scroll").put("left", left.toDouble()).put("top", top.toDouble()).toString())
                },
            )
            "swiper" -> SwiperLayout(context, density) { target ->
                onUserAction(id, JSONObject().put("action", "swipe").put("current", target).toString())
            }
            else -> NodeLayout(context, density)
        }
        view.tag = info
        updateTappable(view, info)
        return view
    }

    private fun insert(parentId: UInt, id: UInt, before: UInt?) {
        val child = nodes[id] ?: return
        detach(id)
        if (parentId == ROOT) {
            // A page: its own scroll view; only the last page shows.
            val scroll = ScrollView(context).apply {
                isFillViewport = true
                addView(child)
                setOnScrollChangeListener { _, _, y, _, _ ->
                    val content = child.node?.frame?.get(3) ?: 0f
                    onPageScroll(y / density, content)
                }
            }
            pageScrolls[id] = scroll
            pageArea.addView(scroll, FrameLayout.LayoutParams(FrameLayout.LayoutParams.MATCH_PARENT, FrameLayout.LayoutParams.MATCH_PARENT))
            showTopPage()
            return
        }
        val parent = nodes[parentId] as? ViewGroup ?: return
        val index = before?.let { b -> nodes[b]?.let { parent.indexOfChild(it) } }?.takeIf { it >= 0 }
        if (index != null) parent.addView(child, index) else parent.addView(child)
    }

    private fun detach(id: UInt) {
        pageScrolls.remove(id)?.let { scroll ->
            scroll.removeAllViews()
            pageArea.removeView(scroll)
            pageWindows.remove(id)
            showTopPage()
            return
        }
        val v = nodes[id] ?: return
        (v.parent as? ViewGroup)?.removeView(v)
    }

    private fun showTopPage() {
        val top = pageScrolls.keys.lastOrNull()
        for ((id, scroll) in pageScrolls) scroll.visibility = if (id == top) VISIBLE else GONE
        top?.let { pageWindows[it] }?.let(::drawTitleBar)
    }

    /** The navigation bar from a page's `window`: title, bar color, text style; none when custom. */
    private fun drawTitleBar(window: JSONObject) {
        titleBar.visibility = if (window.optString("navigationStyle") == "custom") GONE else VISIBLE
        titleBar.text = window.optString("navigationBarTitleText")
        CssStyle.parseColor(window.optString("navigationBarBackgroundColor", "#000000"))?.let(titleBar::setBackgroundColor)
        titleBar.setTextColor(if (window.optString("navigationBarTextStyle") == "black") 0xff000000.toInt() else 0xffffffff.toInt())
    }

    /** The tab bar from the root's `tabBar`: labels in `color`/`selectedColor`; hidden off tab pages. */
    private fun drawTabBar(bar: JSONObject) {
        val list = bar.optJSONArray("list") ?: return
        val selected = bar.optInt("selectedIndex", -1)
        tabBar.visibility = if (bar.optBoolean("visible", true) && !bar.optBoolean("custom") && selected >= 0) VISIBLE else GONE
        CssStyle.parseColor(bar.optString("backgroundColor", "#ffffff"))?.let(tabBar::setBackgroundColor)
        tabBar.removeAllViews()
        for (i in 0 until list.length()) {
            val item = list.optJSONObject(i) ?: continue
            val label = TextView(context).apply {
                text = item.optString("text")
                gravity = Gravity.CENTER
                val color = if (i == selected) bar.optString("selectedColor") else bar.optString("color")
                CssStyle.parseColor(color)?.let(::setTextColor)
                setOnClickListener { onTabTap(i) }
            }
            tabBar.addView(label, LayoutParams(0, LayoutParams.MATCH_PARENT, 1f))
        }
    }

    /** The tab bar's labels, in order (for tests and tools). */
    fun tabLabels(): List<String> = (0 until tabBar.childCount).map { (tabBar.getChildAt(it) as TextView).text.toString() }

    private fun setAttr(id: UInt, name: String, valueJson: String?) {
        if (id == ROOT && name == "tabBar") {
            valueJson?.let { runCatching { JSONObject(it) }.getOrNull() }?.let(::drawTabBar)
            return
        }
        if (name == "window") {
            valueJson?.let { runCatching { JSONObject(it) }.getOrNull() }?.let { window ->
                pageWindows[id] = window
                if (pageScrolls.keys.lastOrNull() == id) drawTitleBar(window)
            }
        }
        val v = nodes[id] ?: return
        val info = v.node ?: return
        if (valueJson == null) info.attrs.remove(name) else info.attrs[name] = valueJson
        val value = valueJson?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }
        when {
            v is EditText && name == "value" -> {
                val text = value?.toString() ?: ""
                if (v.text.toString() != text) v.setText(text)
            }
            v is EditText && name == "placeholder" -> v.hint = value?.toString()
            v is CompoundButton && name == "checked" -> v.isChecked = value == true
            v is SeekBar && name in SLIDER_ATTRS -> syncSlider(v, info)
            v is ProgressBar && name == "percent" -> v.progress = (value as? Number)?.toInt() ?: 0
            v is SwiperLayout && name == "current" -> v.show((value as? Number)?.toInt() ?: 0)
            v is IconView && name in IconView.ATTRS -> v.show(attr(info, "type")?.toString(), attr(info, "size"), attr(info, "color")?.toString(), density)
            v is ImageView && name == "src" -> loadImage(v, id, value?.toString())
            v is ImageView && name == "mode" -> v.scaleType = scaleTypeOf(value?.toString())
        }
        multiPicker?.takeIf { it.first == id && name == "range" }?.let { (_, wheels) ->
            columnsOf(info).forEachIndexed { c, labels ->
                wheels.getOrNull(c)?.let { wheel ->
                    val keep = wheel.value
                    fill(wheel, labels)
                    wheel.value = keep.coerceIn(0, wheel.maxValue)
                }
            }
        }
    }

    /** Package images (`/pages/x.png`) load from the package folder; their natural size goes
     *  back to the core (`widthFix`/`heightFix` images size themselves from it). */
    private fun loadImage(view: ImageView, id: UInt, src: String?) {
        if (src.isNullOrEmpty()) return
        if (src.startsWith("http://") || src.startsWith("https://")) {
            loadRemoteImage(view, id, src)
            return
        }
        val dir = packageDir ?: return
        if (src.contains("://")) return
        val file = File(dir, src.removePrefix("/"))
        showImage(view, id, src, BitmapFactory.decodeFile(file.path))
    }

    private fun showImage(view: ImageView, id: UInt, src: String, bitmap: android.graphics.Bitmap?) {
        if (bitmap == null) {
            onUserAction(id, JSONObject().put("action", "error").put("message", "cannot decode $src").toString())
            return
        }
        view.setImageBitmap(bitmap)
        onUserAction(id, JSONObject().put("action", "load").put("width", bitmap.width).put("height", bitmap.height).toString())
    }

    /** Network images (`https://…`), as WeChat loads them: from any origin (image loads are not
     *  under the request allowlist), on a worker thread, shown if `src` has not changed since. */
    private fun loadRemoteImage(view: ImageView, id: UInt, src: String) {
        imageLoader.execute {
            val bitmap = runCatching {
                val conn = java.net.URL(src).openConnection() as java.net.HttpURLConnection
                conn.connectTimeout = 15_000
                conn.readTimeout = 15_000
                try {
                    if (conn.responseCode >= 400) null else conn.inputStream.use(BitmapFactory::decodeStream)
                } finally {
                    conn.disconnect()
                }
            }.getOrNull()
            post {
                val current = view.node?.attrs?.get("src")?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }
                if (current == src) showImage(view, id, src, bitmap)
            }
        }
    }

    private val imageLoader = java.util.concurrent.Executors.newFixedThreadPool(2) { r ->
        Thread(r, "miniapp-images").apply { isDaemon = true }
    }

    /** Every element takes taps: Android's hit testing finds the innermost element under the
     *  finger (text runs pass the touch to their element), and the core bubbles the event from
     *  there with WeChat's semantics, so ancestors with `bindtap` hear it too. */
    /** A slider's value as steps from `min` (what the SeekBar counts). */
    private fun sliderRange(info: NodeInfo): Triple<Double, Double, Double> {
        fun num(name: String, default: Double) =
            info.attrs[name]?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }
                ?.let { (it as? Number)?.toDouble() ?: it.toString().toDoubleOrNull() } ?: default
        val min = num("min", 0.0)
        val max = num("max", 100.0)
        val step = num("step", 1.0).takeIf { it > 0 } ?: 1.0
        return Triple(min, max, step)
    }

    private fun syncSlider(bar: SeekBar, info: NodeInfo) {
        val (min, max, step) = sliderRange(info)
        bar.max = ((max - min) / step).toInt().coerceAtLeast(1)
        val value = info.attrs["value"]?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }
            ?.let { (it as? Number)?.toDouble() ?: it.toString().toDoubleOrNull() } ?: min
        bar.progress = ((value - min) / step).toInt()
    }

    private fun slide(info: NodeInfo, progress: Int, done: Boolean): String {
        val (min, _, step) = sliderRange(info)
        return JSONObject().put("action", "slide").put("value", min + progress * step).put("done", done).toString()
    }

    private fun updateTappable(v: View, info: NodeInfo) {
        if (v is EditText || v is CompoundButton || v is SeekBar || info.tag == "#text") return
        if (info.tag == "picker") {
            v.setOnClickListener { showPicker(info) }
            return
        }
        v.setOnClickListener { onTap(info.id) }
    }

    private fun attr(info: NodeInfo, name: String): Any? =
        info.attrs[name]?.let { runCatching { JSONTokener(it).nextValue() }.getOrNull() }

    /** A `picker` opens Android's own picker; the choice goes back as a `pick` action (cancel as
     *  `pickCancel`). Selector, date and time modes; the dialogs need an Activity context. */
    private fun showPicker(info: NodeInfo) {
        if (context !is android.app.Activity || attr(info, "disabled") == true) return
        val pick = { value: Any -> onUserAction(info.id, JSONObject().put("action", "pick").put("value", value).toString()) }
        val cancel = { onUserAction(info.id, JSONObject().put("action", "pickCancel").toString()) }
        when (attr(info, "mode")?.toString() ?: "selector") {
            "date" -> {
                val parts = (attr(info, "value")?.toString() ?: "").split("-").mapNotNull { it.toIntOrNull() }
                val now = java.util.Calendar.getInstance()
                android.app.DatePickerDialog(
                    context,
                    { _, y, m, d -> pick("%04d-%02d-%02d".format(y, m + 1, d)) },
                    parts.getOrNull(0) ?: now.get(java.util.Calendar.YEAR),
                    (parts.getOrNull(1) ?: (now.get(java.util.Calendar.MONTH) + 1)) - 1,
                    parts.getOrNull(2) ?: now.get(java.util.Calendar.DAY_OF_MONTH),
                ).apply { setOnCancelListener { cancel() } }.show()
            }
            "time" -> {
                val parts = (attr(info, "value")?.toString() ?: "").split(":").mapNotNull { it.toIntOrNull() }
                android.app.TimePickerDialog(
                    context,
                    { _, h, m -> pick("%02d:%02d".format(h, m)) },
                    parts.getOrNull(0) ?: 0,
                    parts.getOrNull(1) ?: 0,
                    true,
                ).apply { setOnCancelListener { cancel() } }.show()
            }
            "selector" -> {
                val range = attr(info, "range") as? org.json.JSONArray ?: return
                val key = attr(info, "range-key")?.toString()
                val labels = Array(range.length()) { i ->
                    val item = range.opt(i)
                    if (item is JSONObject && key != null) item.optString(key) else item.toString()
                }
                val current = (attr(info, "value") as? Number)?.toInt() ?: 0
                android.app.AlertDialog.Builder(context)
                    .setSingleChoiceItems(labels, current) { dialog, which ->
                        dialog.dismiss()
                        pick(which)
                    }
                    .setOnCancelListener { cancel() }
                    .show()
            }
            "multiSelector" -> showMultiPicker(info, pick, cancel)
            "region" -> showRegionPicker(info, pick, cancel)
            else -> onTap(info.id)
        }
    }

    /** A `region` picker without a region database on the device: province, city and district
     *  typed into three fields (prefilled from `value`), picked as `[province, city, district]`.
     *  A host with region data overrides this view's picker by handling the tap itself. */
    private fun showRegionPicker(info: NodeInfo, pick: (Any) -> Unit, cancel: () -> Unit) {
        val current = attr(info, "value") as? org.json.JSONArray
        val column = LinearLayout(context).apply { orientation = VERTICAL }
        val fields = listOf("Province", "City", "District").mapIndexed { i, hint ->
            EditText(context).apply {
                this.hint = hint
                setText(current?.optString(i, "") ?: "")
                isSingleLine = true
                column.addView(this)
            }
        }
        regionFields = fields
        android.app.AlertDialog.Builder(context)
            .setView(column)
            .setPositiveButton(android.R.string.ok) { _, _ -> pick(org.json.JSONArray(fields.map { it.text.toString() })) }
            .setNegativeButton(android.R.string.cancel) { _, _ -> cancel() }
            .setOnCancelListener { cancel() }
            .setOnDismissListener { regionFields = emptyList() }
            .show()
    }

    private var regionFields: List<EditText> = emptyList()

    /** The open region picker's fields (tests and tools). */
    fun regionPickerFields(): List<EditText> = regionFields

    /** The open multi-column picker: its columns follow `range` when the page changes it on a
     *  column change (`bindcolumnchange`). */
    private var multiPicker: Pair<UInt, List<android.widget.NumberPicker>>? = null

    /** The labels of each column of a multiSelector's `range` (arrays of strings, or of objects
     *  shown by `range-key`). */
    private fun columnsOf(info: NodeInfo): List<Array<String>> {
        val range = attr(info, "range") as? org.json.JSONArray ?: return emptyList()
        val key = attr(info, "range-key")?.toString()
        return (0 until range.length()).map { c ->
            val column = range.optJSONArray(c) ?: org.json.JSONArray()
            Array(column.length()) { i ->
                val item = column.opt(i)
                if (item is JSONObject && key != null) item.optString(key) else item.toString()
            }
        }
    }

    /** A multiSelector: one wheel per column in a dialog; each wheel move goes to the core as a
     *  `pickColumn` action, OK as a `pick` of every column's index. */
    private fun showMultiPicker(info: NodeInfo, pick: (Any) -> Unit, cancel: () -> Unit) {
        val columns = columnsOf(info)
        if (columns.isEmpty()) return
        val current = attr(info, "value") as? org.json.JSONArray
        val row = LinearLayout(context).apply { orientation = HORIZONTAL; gravity = Gravity.CENTER }
        val wheels = columns.mapIndexed { c, labels ->
            android.widget.NumberPicker(context).apply {
                fill(this, labels)
                value = (current?.optInt(c, 0) ?: 0).coerceIn(0, maxOf(0, labels.size - 1))
                setOnValueChangedListener { _, _, index ->
                    onUserAction(info.id, JSONObject().put("action", "pickColumn").put("column", c).put("index", index).toString())
                }
                row.addView(this, LayoutParams(0, LayoutParams.WRAP_CONTENT, 1f))
            }
        }
        multiPicker = info.id to wheels
        android.app.AlertDialog.Builder(context)
            .setView(row)
            .setPositiveButton(android.R.string.ok) { _, _ -> pick(org.json.JSONArray(wheels.map { it.value })) }
            .setNegativeButton(android.R.string.cancel) { _, _ -> cancel() }
            .setOnCancelListener { cancel() }
            .setOnDismissListener { multiPicker = null }
            .show()
    }

    private fun fill(wheel: android.widget.NumberPicker, labels: Array<String>) {
        wheel.displayedValues = null
        wheel.minValue = 0
        wheel.maxValue = maxOf(0, labels.size - 1)
        wheel.displayedValues = if (labels.isEmpty()) arrayOf("") else labels
    }

    /** The open multi-column picker's wheels (tests and tools). */
    fun multiPickerWheels(): List<android.widget.NumberPicker> = multiPicker?.second ?: emptyList()

    private companion object {
        const val ROOT: UInt = 1u
        val SLIDER_ATTRS = setOf("min", "max", "step", "value")
        fun scaleTypeOf(mode: String?): ImageView.ScaleType = when (mode) {
            "aspectFit" -> ImageView.ScaleType.FIT_CENTER
            "aspectFill" -> ImageView.ScaleType.CENTER_CROP
            "center" -> ImageView.ScaleType.CENTER
            "top left" -> ImageView.ScaleType.MATRIX
            else -> ImageView.ScaleType.FIT_XY
        }
    }
}

/**
 * WeChat's `icon`: its `type` as a symbol in the type's color (or `color`), `size` px tall.
 */
internal class IconView(context: Context) : TextView(context) {
    init {
        gravity = Gravity.CENTER
        includeFontPadding = false
        setPadding(0, 0, 0, 0)
    }

    /** Draws `type` at `size` (CSS px, default 23) in `color` (default: the type's own). */
    fun show(type: String?, size: Any?, color: String?, density: Float) {
        val (glyph, tint) = GLYPHS[type] ?: ("" to "#000000")
        text = glyph
        val px = (size as? Number)?.toFloat() ?: size?.toString()?.removeSuffix("px")?.toFloatOrNull() ?: 23f
        setTextSize(android.util.TypedValue.COMPLEX_UNIT_PX, px * density)
        val parsed = color?.takeIf { it.isNotEmpty() }?.let { CssStyle.parseColor(it) ?: runCatching { android.graphics.Color.parseColor(it) }.getOrNull() }
        setTextColor(parsed ?: CssStyle.parseColor(tint) ?: android.graphics.Color.BLACK)
    }

    companion object {
        val ATTRS = setOf("type", "size", "color")

        /** Each type's symbol and WeChat's default color for it. */
        val GLYPHS = mapOf(
            "success" to ("\u2714" to "#09BB07"),
            "success_no_circle" to ("\u2713" to "#09BB07"),
            "info" to ("\u2139" to "#10AEFF"),
            "warn" to ("\u26A0" to "#F76260"),
            "waiting" to ("\u25F7" to "#10AEFF"),
            "cancel" to ("\u2716" to "#F43530"),
            "download" to ("\u2B07" to "#09BB07"),
            "search" to ("\u2315" to "#B2B2B2"),
            "clear" to ("\u2297" to "#B2B2B2"),
        )
    }
}
