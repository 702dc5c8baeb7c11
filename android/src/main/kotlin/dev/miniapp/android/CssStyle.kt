package dev.miniapp.android

import android.graphics.Color
import android.graphics.Typeface
import android.util.TypedValue
import android.view.View
import android.widget.TextView
import org.json.JSONArray
import org.json.JSONObject

/**
 * A node's resolved visual style as the core sends it in `set_style` (docs/render-protocol.md,
 * "Styles and frames"), applied to an Android [View]. Lengths are CSS px; [density] turns them
 * into device pixels. Only what the core resolved is applied: the host never runs CSS.
 */
internal class CssStyle(json: String) {
    private val style = runCatching { JSONObject(json) }.getOrDefault(JSONObject())

    val displayed: Boolean get() = style.optString("display") != "none"

    /** CSS `z-index` (0 when auto): siblings draw and take touches in this order. */
    val zIndex: Int get() = style.optInt("zIndex", 0)

    /** Background color, corner radii and each border side, as one drawable ([BoxDrawable]);
     *  opacity and visibility. */
    fun applyBox(view: View, density: Float) {
        val background = color("backgroundColor")
        val radii = floats("borderRadius")
        val borderWidths = floats("borderWidth")
        val borderColors = style.optJSONArray("borderColor")
        val gradient = CssGradient.parse(style.optString("backgroundImage", ""))
        if (background != null || gradient != null || radii != null || borderWidths != null) {
            view.background = BoxDrawable(
                background,
                gradient,
                FloatArray(4) { i -> (radii?.getOrNull(i) ?: 0f) * density },
                FloatArray(4) { i -> (borderWidths?.getOrNull(i) ?: 0f) * density },
                IntArray(4) { i -> borderColors?.optString(i)?.let(::parseColor) ?: Color.BLACK },
            )
        } else {
            view.background = null
        }
        view.alpha = if (style.has("opacity")) style.optDouble("opacity", 1.0).toFloat() else 1f
        view.visibility = when {
            !displayed -> View.GONE
            style.optString("visibility") == "hidden" -> View.INVISIBLE
            else -> View.VISIBLE
        }
    }

    /** `overflow: hidden` (or scroll/auto) clips the children, to the rounded corners too; CSS
     *  lets them overflow otherwise. */
    fun applyClipping(view: android.view.ViewGroup) {
        val overflow = style.optJSONArray("overflow")
        val clips = overflow != null && (0 until overflow.length()).any { overflow.optString(it) != "visible" }
        view.clipChildren = clips
        view.clipToOutline = clips && style.has("borderRadius")
    }

    /** The resolved CSS transform (`translate`, `translateX/Y`, `rotate`, `scale`, `scaleX/Y`),
     *  about the view's center as CSS's default origin. */
    fun applyTransform(view: View, density: Float) {
        val t = transformValues(style.optString("transform", ""))
        view.translationX = t[0] * density
        view.translationY = t[1] * density
        view.rotation = t[2]
        view.scaleX = t[3]
        view.scaleY = t[4]
    }

    /** `transition` entries (`[{property, duration, timingFunction, delay}]`), if any. */
    val transition: JSONArray? get() = style.optJSONArray("transition")

    /** `animation` entries with resolved keyframes, if any. */
    val animation: JSONArray? get() = style.optJSONArray("animation")

    /** Font, color and alignment of a text run. */
    fun applyText(view: TextView, density: Float) {
        color("color")?.let(view::setTextColor)
        if (style.has("fontSize")) {
            view.setTextSize(TypedValue.COMPLEX_UNIT_PX, style.optDouble("fontSize").toFloat() * density)
        }
        val bold = style.optDouble("fontWeight", 400.0) >= 600
        val italic = style.optString("fontStyle") == "italic" || style.optString("fontStyle") == "oblique"
        view.setTypeface(
            view.typeface,
            when {
                bold && italic -> Typeface.BOLD_ITALIC
                bold -> Typeface.BOLD
                italic -> Typeface.ITALIC
                else -> Typeface.NORMAL
            },
        )
        if (style.has("lineHeight") && style.has("fontSize")) {
            val extra = (style.optDouble("lineHeight") - style.optDouble("fontSize")).toFloat() * density
            view.setLineSpacing(extra.coerceAtLeast(0f), 1f)
        }
        // Line clamping as the core laid it out: at most N lines, the last with an ellipsis;
        // `text-overflow: ellipsis` on unwrapped text: one line.
        val clamp = style.optInt("lineClamp", 0)
        val oneLine = style.optString("textOverflow") == "ellipsis" && style.optString("whiteSpace") == "nowrap"
        when {
            clamp > 0 -> { view.maxLines = clamp; view.ellipsize = android.text.TextUtils.TruncateAt.END }
            oneLine -> { view.maxLines = 1; view.ellipsize = android.text.TextUtils.TruncateAt.END }
            else -> { view.maxLines = Int.MAX_VALUE; view.ellipsize = null }
        }
        view.paint.isUnderlineText = style.optString("textDecoration").contains("underline")
        view.paint.isStrikeThruText = style.optString("textDecoration").contains("line-through")
    }

    private fun color(key: String): Int? = style.optString(key, "").takeIf { it.isNotEmpty() }?.let(::parseColor)

    private fun floats(key: String): FloatArray? {
        val a: JSONArray = style.optJSONArray(key) ?: return null
        return FloatArray(a.length()) { a.optDouble(it, 0.0).toFloat() }
    }

    companion object {
        /** A resolved CSS transform as translation x, y (CSS px), rotation (degrees), scale x, y. */
        fun transformValues(text: String): FloatArray {
            var tx = 0f
            var ty = 0f
            var rotation = 0f
            var sx = 1f
            var sy = 1f
            for (m in Regex("""([a-zA-Z]+)\(([^)]*)\)""").findAll(text)) {
                val args = m.groupValues[2].split(',').map { it.trim() }
                fun len(i: Int) = args.getOrNull(i)?.removeSuffix("px")?.toFloatOrNull() ?: 0f
                fun num(i: Int, default: Float) = args.getOrNull(i)?.toFloatOrNull() ?: default
                when (m.groupValues[1]) {
                    "translate" -> { tx += len(0); ty += len(1) }
                    "translateX" -> tx += len(0)
                    "translateY" -> ty += len(0)
                    "rotate" -> rotation += args.getOrNull(0)?.let { a ->
                        when {
                            a.endsWith("deg") -> a.removeSuffix("deg").toFloatOrNull()
                            a.endsWith("turn") -> a.removeSuffix("turn").toFloatOrNull()?.times(360f)
                            a.endsWith("rad") -> a.removeSuffix("rad").toFloatOrNull()?.let { Math.toDegrees(it.toDouble()).toFloat() }
                            else -> a.toFloatOrNull()
                        }
                    } ?: 0f
                    "scale" -> { sx *= num(0, 1f); sy *= num(1, num(0, 1f)) }
                    "scaleX" -> sx *= num(0, 1f)
                    "scaleY" -> sy *= num(0, 1f)
                }
            }
            return floatArrayOf(tx, ty, rotation, sx, sy)
        }

        /** `#rrggbbaa` (the core's form) or `#rrggbb` to an Android ARGB color. */
        fun parseColor(text: String): Int? {
            val hex = text.removePrefix("#")
            val v = hex.toLongOrNull(16) ?: return null
            return when (hex.length) {
                8 -> {
                    val rgb = (v shr 8).toInt() and 0xffffff
                    val a = (v and 0xff).toInt()
                    (a shl 24) or rgb
                }
                6 -> (0xff shl 24) or v.toInt()
                else -> null
            }
        }
    }
}
