package dev.miniapp.android

import android.graphics.LinearGradient
import android.graphics.Shader
import kotlin.math.abs
import kotlin.math.cos
import kotlin.math.sin

/**
 * A CSS `linear-gradient(...)` as the core resolves it into `backgroundImage` (angle in `deg`,
 * color stops with `%` positions: `linear-gradient(135deg, rgb(31, 111, 235) 0%, …)`), made
 * into a shader for a box. Other images (`url()`, radial gradients) are not drawn.
 */
internal class CssGradient(val angle: Float, val colors: IntArray, val positions: FloatArray) {
    /** The shader over a box of [width] × [height] device px, along CSS's gradient line: through
     *  the center at [angle] (0deg up, 90deg right), long enough to reach the far corners. */
    fun shader(left: Float, top: Float, width: Float, height: Float): Shader {
        val rad = Math.toRadians(angle.toDouble())
        val dx = sin(rad).toFloat()
        val dy = -cos(rad).toFloat()
        val half = (abs(width * dx) + abs(height * dy)) / 2f
        val cx = left + width / 2f
        val cy = top + height / 2f
        return LinearGradient(cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half, colors, positions, Shader.TileMode.CLAMP)
    }

    companion object {
        /** The first linear gradient of a `backgroundImage` value, or null. */
        fun parse(text: String?): CssGradient? {
            val start = text?.indexOf("linear-gradient(") ?: return null
            if (start < 0) return null
            val args = splitTopLevel(inner(text, start + "linear-gradient(".length) ?: return null)
            if (args.isEmpty()) return null
            var angle = 180f
            var stops = args
            if (args[0].endsWith("deg")) {
                angle = args[0].removeSuffix("deg").trim().toFloatOrNull() ?: 180f
                stops = args.drop(1)
            }
            val colors = ArrayList<Int>()
            val positions = ArrayList<Float>()
            stops.forEachIndexed { i, stop ->
                val cut = stop.lastIndexOf(' ')
                val hasPosition = cut > 0 && stop.endsWith("%") && !stop.endsWith(")")
                val color = parseCssColor(if (hasPosition) stop.substring(0, cut).trim() else stop) ?: return null
                val position = if (hasPosition) stop.substring(cut + 1).removeSuffix("%").toFloatOrNull()?.div(100f) else null
                colors.add(color)
                positions.add(position ?: if (stops.size > 1) i.toFloat() / (stops.size - 1) else 0f)
            }
            if (colors.size < 2) return null
            return CssGradient(angle, colors.toIntArray(), positions.toFloatArray())
        }

        /** The text inside the parentheses opened just before [from]. */
        private fun inner(text: String, from: Int): String? {
            var depth = 1
            for (i in from until text.length) {
                when (text[i]) {
                    '(' -> depth++
                    ')' -> if (--depth == 0) return text.substring(from, i)
                }
            }
            return null
        }

        /** Splits at commas outside parentheses. */
        private fun splitTopLevel(text: String): List<String> {
            val out = ArrayList<String>()
            var depth = 0
            var start = 0
            for (i in text.indices) {
                when (text[i]) {
                    '(' -> depth++
                    ')' -> depth--
                    ',' -> if (depth == 0) {
                        out.add(text.substring(start, i).trim())
                        start = i + 1
                    }
                }
            }
            out.add(text.substring(start).trim())
            return out.filter { it.isNotEmpty() }
        }

        /** A CSS color: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`, `transparent` or a name. */
        fun parseCssColor(text: String): Int? {
            val t = text.trim()
            if (t == "transparent") return 0
            if (t.startsWith("#")) {
                val hex = t.substring(1)
                return when (hex.length) {
                    3 -> CssStyle.parseColor("#" + hex.map { "$it$it" }.joinToString(""))
                    else -> CssStyle.parseColor(t)
                }
            }
            if (t.startsWith("rgb")) {
                val parts = t.substringAfter('(').substringBefore(')').split(',', ' ', '/').map { it.trim() }.filter { it.isNotEmpty() }
                if (parts.size < 3) return null
                fun channel(s: String) = if (s.endsWith("%")) (s.removeSuffix("%").toFloatOrNull() ?: 0f) * 2.55f else s.toFloatOrNull() ?: 0f
                val alpha = parts.getOrNull(3)?.let { if (it.endsWith("%")) (it.removeSuffix("%").toFloatOrNull() ?: 100f) / 100f else it.toFloatOrNull() } ?: 1f
                return android.graphics.Color.argb(
                    (alpha * 255).toInt().coerceIn(0, 255),
                    channel(parts[0]).toInt().coerceIn(0, 255),
                    channel(parts[1]).toInt().coerceIn(0, 255),
                    channel(parts[2]).toInt().coerceIn(0, 255),
                )
            }
            return runCatching { android.graphics.Color.parseColor(t) }.getOrNull()
        }
    }
}
