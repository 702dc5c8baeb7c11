package dev.miniapp.android

import android.graphics.Canvas
import android.graphics.ColorFilter
import android.graphics.Outline
import android.graphics.Paint
import android.graphics.Path
import android.graphics.PixelFormat
import android.graphics.RectF
import android.graphics.drawable.Drawable

/**
 * An element's box as CSS paints it: the background (color, then a linear gradient) inside the
 * rounded border edge, then each
 * border side in its own width and color (a side of width 0 or a transparent color paints
 * nothing: `border-left: 4px solid transparent` is not a black frame). Corners are rounded by
 * the radii, the sides clipped to them. Lengths in device px. Its outline is the rounded box,
 * so `overflow: hidden` clips children to the corners.
 */
internal class BoxDrawable(
    private val background: Int?,
    /** A `linear-gradient` background image, painted over the background color. */
    private val gradient: CssGradient?,
    /** Corner radii, top-left, top-right, bottom-right, bottom-left. */
    private val radii: FloatArray,
    /** Border widths, top, right, bottom, left. */
    private val widths: FloatArray,
    /** Border colors (ARGB), top, right, bottom, left. */
    private val colors: IntArray,
) : Drawable() {
    private val paint = Paint(Paint.ANTI_ALIAS_FLAG)

    /** The rounded border edge of [bounds]. */
    private fun outerPath(): Path {
        val r = FloatArray(8) { radii[it / 2] }
        return Path().apply { addRoundRect(RectF(bounds), r, Path.Direction.CW) }
    }

    override fun draw(canvas: Canvas) {
        val outer = outerPath()
        background?.let {
            paint.style = Paint.Style.FILL
            paint.color = it
            canvas.drawPath(outer, paint)
        }
        gradient?.let {
            val fill = Paint(Paint.ANTI_ALIAS_FLAG)
            fill.shader = it.shader(bounds.left.toFloat(), bounds.top.toFloat(), bounds.width().toFloat(), bounds.height().toFloat())
            canvas.drawPath(outer, fill)
        }
        if (widths.all { it <= 0f }) return
        val l = bounds.left.toFloat()
        val t = bounds.top.toFloat()
        val r = bounds.right.toFloat()
        val b = bounds.bottom.toFloat()
        val (wt, wr, wb, wl) = listOf(widths[0], widths[1], widths[2], widths[3])
        // each side is the band between the outer edge and the inner edge, mitred at corners
        val sides = listOf(
            floatArrayOf(l, t, r, t, r - wr, t + wt, l + wl, t + wt),
            floatArrayOf(r, t, r, b, r - wr, b - wb, r - wr, t + wt),
            floatArrayOf(r, b, l, b, l + wl, b - wb, r - wr, b - wb),
            floatArrayOf(l, b, l, t, l + wl, t + wt, l + wl, b - wb),
        )
        canvas.save()
        canvas.clipPath(outer)
        paint.style = Paint.Style.FILL
        for (i in 0 until 4) {
            if (widths[i] <= 0f || (colors[i] ushr 24) == 0) continue
            val p = sides[i]
            val band = Path().apply {
                moveTo(p[0], p[1]); lineTo(p[2], p[3]); lineTo(p[4], p[5]); lineTo(p[6], p[7]); close()
            }
            if (radii.any { it > 0f }) {
                // the inner edge is rounded too: keep only what lies outside it
                val inner = Path().apply {
                    val innerRadii = FloatArray(8) { k ->
                        val corner = k / 2
                        val across = if (k % 2 == 0) listOf(wl, wr, wr, wl)[corner] else listOf(wt, wt, wb, wb)[corner]
                        (radii[corner] - across).coerceAtLeast(0f)
                    }
                    addRoundRect(RectF(l + wl, t + wt, r - wr, b - wb), innerRadii, Path.Direction.CW)
                }
                band.op(inner, Path.Op.DIFFERENCE)
            }
            paint.color = colors[i]
            canvas.drawPath(band, paint)
        }
        canvas.restore()
    }

    override fun getOutline(outline: Outline) {
        val r = radii.firstOrNull() ?: 0f
        if (radii.all { it == r }) outline.setRoundRect(bounds, r) else outline.setPath(outerPath())
    }

    override fun setAlpha(alpha: Int) {
        paint.alpha = alpha
    }

    override fun setColorFilter(colorFilter: ColorFilter?) {
        paint.colorFilter = colorFilter
    }

    @Deprecated("Drawable.getOpacity")
    override fun getOpacity(): Int = PixelFormat.TRANSLUCENT

    /** The background color (tests and tools). */
    fun backgroundColor(): Int? = background

    /** The background gradient (tests and tools). */
    fun backgroundGradient(): CssGradient? = gradient

    /** The border sides' widths in device px and colors (tests and tools). */
    fun borders(): Pair<FloatArray, IntArray> = widths.copyOf() to colors.copyOf()
}
