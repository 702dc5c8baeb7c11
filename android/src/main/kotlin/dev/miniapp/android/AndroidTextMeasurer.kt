package dev.miniapp.android

import android.graphics.Typeface
import android.text.Layout
import android.text.StaticLayout
import android.text.TextPaint
import dev.miniapp.FontRecord
import dev.miniapp.TextMeasurer
import dev.miniapp.TextMetricsRecord
import kotlin.math.ceil

/**
 * Measures text with Android's own text stack ([StaticLayout] over a [TextPaint]), so the core
 * lays pages out with the fonts the device draws them in. Sizes are in CSS px: the paint is set
 * to the CSS font size, so no density conversion is needed. Called on the app's logic thread;
 * the core caches answers per (text, font, width).
 */
class AndroidTextMeasurer(private val typeface: Typeface = Typeface.DEFAULT) : TextMeasurer {
    override fun measure(text: String, font: FontRecord, maxWidth: Float?): TextMetricsRecord {
        val paint = TextPaint(TextPaint.ANTI_ALIAS_FLAG)
        paint.textSize = font.size
        paint.letterSpacing = if (font.size > 0f) font.letterSpacing / font.size else 0f
        val style = when {
            font.weight >= 600f && font.italic -> Typeface.BOLD_ITALIC
            font.weight >= 600f -> Typeface.BOLD
            font.italic -> Typeface.ITALIC
            else -> Typeface.NORMAL
        }
        paint.typeface = Typeface.create(typeface, style)
        val wrap = maxWidth?.let { ceil(it).toInt().coerceAtLeast(1) } ?: Int.MAX_VALUE / 2
        val layout = StaticLayout.Builder.obtain(text, 0, text.length, paint, wrap)
            .setAlignment(Layout.Alignment.ALIGN_NORMAL)
            .setIncludePad(false)
            .setLineSpacing(0f, 1f)
            .build()
        var widest = 0f
        for (i in 0 until layout.lineCount) widest = maxOf(widest, layout.getLineWidth(i))
        val lines = layout.lineCount.coerceAtLeast(1)
        val metrics = paint.fontMetrics
        val glyphs = metrics.descent - metrics.ascent
        return TextMetricsRecord(
            width = widest,
            height = lines * font.lineHeight,
            baseline = (font.lineHeight - glyphs) / 2f - metrics.ascent,
            lines = lines.toUInt(),
        )
    }
}
