package dev.miniapp.android

import android.content.Context
import android.view.View
import android.view.ViewGroup

/** What the host keeps per node: its id, WXML tag, attributes, listened events and frame. */
internal class NodeInfo(val id: UInt, val tag: String) {
    /** Attributes as the core sent them (JSON text). */
    val attrs = HashMap<String, String>()
    val listens = HashSet<String>()

    /** Border box in CSS px, relative to the parent: x, y, width, height. */
    var frame = FloatArray(4)
    var style: CssStyle? = null
}

internal val View.node: NodeInfo? get() = tag as? NodeInfo

/**
 * An element's view: places each child exactly where the core's `set_frame` put it (the core
 * did the layout; this view only scales CSS px by the display density). Its own size is its
 * frame's unless the parent measures it exactly.
 */
internal open class NodeLayout(context: Context, private val density: Float) : ViewGroup(context) {
    init {
        // CSS lets children overflow unless `overflow` says otherwise (CssStyle.applyClipping).
        clipChildren = false
        // Siblings draw (and take touches) in z-index order, document order among equals.
        isChildrenDrawingOrderEnabled = true
    }

    /** Child indices in drawing order: by `z-index`, then document order. */
    internal fun drawingOrder(): List<Int> =
        (0 until childCount).sortedWith(compareBy({ getChildAt(it).node?.style?.zIndex ?: 0 }, { it }))

    override fun getChildDrawingOrder(childCount: Int, drawingPosition: Int): Int {
        val order = drawingOrder()
        return if (order.size == childCount) order[drawingPosition] else drawingPosition
    }

    override fun onMeasure(widthMeasureSpec: Int, heightMeasureSpec: Int) {
        val own = node?.frame
        val width = sizeFor(widthMeasureSpec, own?.get(2))
        val height = sizeFor(heightMeasureSpec, own?.get(3))
        for (i in 0 until childCount) {
            val child = getChildAt(i)
            val f = child.node?.frame ?: continue
            child.measure(exactly(f[2]), exactly(f[3]))
        }
        setMeasuredDimension(width, height)
    }

    override fun onLayout(changed: Boolean, l: Int, t: Int, r: Int, b: Int) {
        for (i in 0 until childCount) {
            val child = getChildAt(i)
            val f = child.node?.frame ?: continue
            val left = px(f[0])
            val top = px(f[1])
            child.layout(left, top, left + px(f[2]), top + px(f[3]))
        }
    }

    private fun px(css: Float): Int = Math.round(css * density)

    private fun exactly(css: Float): Int = MeasureSpec.makeMeasureSpec(px(css).coerceAtLeast(0), MeasureSpec.EXACTLY)

    private fun sizeFor(spec: Int, css: Float?): Int = when (MeasureSpec.getMode(spec)) {
        MeasureSpec.EXACTLY -> MeasureSpec.getSize(spec)
        else -> css?.let(::px) ?: MeasureSpec.getSize(spec)
    }
}

/** An element view that reads gestures itself (a swiper's fling, a scroll-view's drag) and
 *  takes the touch from its children once the gesture moves. */
internal abstract class GestureLayout(context: Context, density: Float) : NodeLayout(context, density) {
    protected abstract fun onGesture(): android.view.GestureDetector.SimpleOnGestureListener

    private val gestures by lazy { android.view.GestureDetector(context, onGesture()) }

    override fun onInterceptTouchEvent(ev: android.view.MotionEvent): Boolean =
        gestures.onTouchEvent(ev) && ev.actionMasked == android.view.MotionEvent.ACTION_MOVE

    override fun onTouchEvent(event: android.view.MotionEvent): Boolean = gestures.onTouchEvent(event)
}

/**
 * A `swiper`: its items are stacked at the same frame (the core's layout); the one at `current`
 * shows. A horizontal fling asks the core for the next or previous item (a `swipe` action; the
 * core wraps or clamps, fires `change`, and sends `current` back).
 */
internal class SwiperLayout(
    context: Context,
    density: Float,
    private val onSwipe: (Int) -> Unit,
) : GestureLayout(context, density) {
    private var current = 0

    override fun onGesture() = object : android.view.GestureDetector.SimpleOnGestureListener() {
        override fun onDown(e: android.view.MotionEvent): Boolean = true

        override fun onFling(
            e1: android.view.MotionEvent?,
            e2: android.view.MotionEvent,
            velocityX: Float,
            velocityY: Float,
        ): Boolean {
            if (Math.abs(velocityX) <= Math.abs(velocityY)) return false
            swipe(if (velocityX < 0) 1 else -1)
            return true
        }
    }

    /** The user swiped by [delta] items (+1: next). */
    fun swipe(delta: Int) = onSwipe(current + delta)

    /** Shows item [index] (the core's `current`). */
    fun show(index: Int) {
        current = index
        var item = 0
        for (i in 0 until childCount) {
            val child = getChildAt(i)
            if (child.node?.tag != "swiper-item") continue
            child.visibility = if (item == index) VISIBLE else INVISIBLE
            item++
        }
    }

    /** The index of the item showing. */
    fun currentItem(): Int = current

    override fun onViewAdded(child: android.view.View?) {
        super.onViewAdded(child)
        show(current)
    }

}

/**
 * A `scroll-view`: its content (laid out by the core, possibly taller or wider than it) moves
 * under a drag along the axes its `scroll-x`/`scroll-y` allow, within the content's extent;
 * each move goes to the core as a `scroll` action (it fires `bindscroll`, upper/lower events,
 * and may load more content). A `scroll_to` op scrolls it programmatically.
 */
internal class ScrollLayout(
    context: Context,
    private val density: Float,
    private val axes: () -> Pair<Boolean, Boolean>,
    private val onScrolled: (left: Float, top: Float) -> Unit,
) : GestureLayout(context, density) {
    override fun onGesture() = object : android.view.GestureDetector.SimpleOnGestureListener() {
        override fun onDown(e: android.view.MotionEvent): Boolean = true

        override fun onScroll(
            e1: android.view.MotionEvent?,
            e2: android.view.MotionEvent,
            distanceX: Float,
            distanceY: Float,
        ): Boolean {
            scroller.forceFinished(true)
            dragBy(distanceX / density, distanceY / density)
            return true
        }

        override fun onFling(
            e1: android.view.MotionEvent?,
            e2: android.view.MotionEvent,
            velocityX: Float,
            velocityY: Float,
        ): Boolean {
            fling(-velocityX / density, -velocityY / density)
            return true
        }
    }

    private val scroller = android.widget.OverScroller(context)

    /** How far the content can move: the right and bottom of its extent past this view's size,
     *  in CSS px (0 when it fits). */
    private fun extent(): Pair<Float, Float> {
        var right = 0f
        var bottom = 0f
        for (i in 0 until childCount) {
            val f = getChildAt(i).node?.frame ?: continue
            right = maxOf(right, f[0] + f[2])
            bottom = maxOf(bottom, f[1] + f[3])
        }
        val own = node?.frame ?: return 0f to 0f
        return maxOf(0f, right - own[2]) to maxOf(0f, bottom - own[3])
    }

    /** Moves the content by (`dx`, `dy`) CSS px, as a drag does; reports where it stopped. */
    fun dragBy(dx: Float, dy: Float) {
        val (horizontal, vertical) = axes()
        val (maxX, maxY) = extent()
        val x = if (horizontal) (scrollX / density + dx).coerceIn(0f, maxX) else scrollX / density
        val y = if (vertical) (scrollY / density + dy).coerceIn(0f, maxY) else scrollY / density
        scrollTo(Math.round(x * density), Math.round(y * density))
        onScrolled(x, y)
    }

    /** Keeps the content moving after the finger left at (`vx`, `vy`) CSS px/s, slowing down
     *  as Android's lists do, within the content's extent; each step is reported like a drag. */
    fun fling(vx: Float, vy: Float) {
        val (horizontal, vertical) = axes()
        val (maxX, maxY) = extent()
        scroller.forceFinished(true)
        scroller.fling(
            scrollX, scrollY,
            if (horizontal) Math.round(vx * density) else 0, if (vertical) Math.round(vy * density) else 0,
            0, Math.round(maxX * density), 0, Math.round(maxY * density),
        )
        postOnAnimation(::step)
    }

    private fun step() {
        if (!scroller.computeScrollOffset()) return
        scrollTo(scroller.currX, scroller.currY)
        onScrolled(scroller.currX / density, scroller.currY / density)
        if (!scroller.isFinished) postOnAnimation(::step)
    }
}
