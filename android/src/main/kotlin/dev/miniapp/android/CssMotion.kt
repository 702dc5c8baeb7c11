package dev.miniapp.android

import android.animation.Animator
import android.animation.Keyframe
import android.animation.ObjectAnimator
import android.animation.PropertyValuesHolder
import android.animation.TimeInterpolator
import android.animation.ValueAnimator
import android.util.Property
import android.view.View
import android.view.animation.AccelerateDecelerateInterpolator
import android.view.animation.AccelerateInterpolator
import android.view.animation.DecelerateInterpolator
import android.view.animation.LinearInterpolator
import android.view.animation.PathInterpolator
import org.json.JSONArray
import org.json.JSONObject
import java.util.WeakHashMap

/**
 * CSS transitions and `@keyframes` animations as the core resolves them into `set_style`
 * (docs/render-protocol.md, "Animations"), played with Android's animators on the view's
 * opacity and transform (translation, rotation, scale). The core fires the
 * `animation*`/`transitionend` events on its own clock; this only draws. Main thread.
 */
internal object CssMotion {
    /** The animated view properties, in [Values] order. */
    private val PROPERTIES: List<Property<View, Float>> =
        listOf(View.ALPHA, View.TRANSLATION_X, View.TRANSLATION_Y, View.ROTATION, View.SCALE_X, View.SCALE_Y)

    /** Opacity, translation x/y (device px), rotation, scale x/y. */
    class Values(val v: FloatArray) {
        fun differs(other: Values, i: Int) = Math.abs(v[i] - other.v[i]) > 1e-4f
    }

    private val running = WeakHashMap<View, Animator>()

    /** The animator playing on [view] (an animation or a transition), if any. */
    fun animatorOf(view: View): Animator? = running[view]

    /** The view's current values, before a new style is applied. */
    fun snapshot(view: View) = Values(PROPERTIES.map { it.get(view) }.toFloatArray())

    /**
     * After [next] was applied: starts its animations when they changed, or plays its
     * transitions from [before] to the values just applied.
     */
    fun play(view: View, previous: CssStyle?, next: CssStyle, before: Values, density: Float) {
        val after = snapshot(view)
        val animation = next.animation
        if (animation?.toString() != previous?.animation?.toString()) {
            running.remove(view)?.cancel()
            if (animation != null && animation.length() > 0) {
                keyframes(view, animation.getJSONObject(0), after, density)?.let { a ->
                    running[view] = a
                    a.start()
                }
                return
            }
        }
        val transitions = next.transition ?: return
        if (previous == null) return
        val holders = mutableListOf<PropertyValuesHolder>()
        var duration = 0L
        var delay = 0L
        var interpolator: TimeInterpolator = AccelerateDecelerateInterpolator()
        for (i in PROPERTIES.indices) {
            if (!before.differs(after, i)) continue
            val t = transitionFor(transitions, if (i == 0) "opacity" else "transform") ?: continue
            holders.add(PropertyValuesHolder.ofFloat(PROPERTIES[i], before.v[i], after.v[i]))
            duration = maxOf(duration, t.optDouble("duration", 0.0).toLong())
            delay = maxOf(delay, t.optDouble("delay", 0.0).toLong())
            interpolator = interpolator(t.optString("timingFunction", "ease"))
        }
        if (holders.isEmpty() || duration <= 0L) return
        running.remove(view)?.cancel()
        for (i in PROPERTIES.indices) PROPERTIES[i].set(view, before.v[i])
        val a = ObjectAnimator.ofPropertyValuesHolder(view, *holders.toTypedArray())
        a.duration = duration
        a.startDelay = delay
        a.interpolator = interpolator
        running[view] = a
        a.start()
    }

    /** The last transition entry naming [property] or `all`, as CSS picks it. */
    private fun transitionFor(list: JSONArray, property: String): JSONObject? =
        (list.length() - 1 downTo 0).map { list.getJSONObject(it) }
            .firstOrNull { it.optString("property") == property || it.optString("property") == "all" }

    /** One animation's keyframes on the view's properties; null when they move nothing. */
    private fun keyframes(view: View, anim: JSONObject, base: Values, density: Float): Animator? {
        val frames = anim.optJSONArray("keyframes") ?: return null
        val perFrame = (0 until frames.length()).map { i ->
            val f = frames.getJSONObject(i)
            val style = f.optJSONObject("style") ?: JSONObject()
            val values = base.v.copyOf()
            if (style.has("opacity")) values[0] = if (style.isNull("opacity")) 1f else style.optDouble("opacity", 1.0).toFloat()
            if (style.has("transform")) {
                val t = CssStyle.transformValues(if (style.isNull("transform")) "" else style.optString("transform"))
                values[1] = t[0] * density
                values[2] = t[1] * density
                values[3] = t[2]
                values[4] = t[3]
                values[5] = t[4]
            }
            f.optDouble("offset", 0.0).toFloat() to values
        }
        val holders = PROPERTIES.indices.mapNotNull { i ->
            if (perFrame.none { Math.abs(it.second[i] - base.v[i]) > 1e-4f }) return@mapNotNull null
            val kf = perFrame.map { (offset, values) -> Keyframe.ofFloat(offset, values[i]) }.toTypedArray()
            PropertyValuesHolder.ofKeyframe(PROPERTIES[i], *kf)
        }
        if (holders.isEmpty()) return null
        val a = ObjectAnimator.ofPropertyValuesHolder(view, *holders.toTypedArray())
        a.duration = anim.optDouble("duration", 0.0).toLong()
        a.startDelay = anim.optDouble("delay", 0.0).toLong().coerceAtLeast(0L)
        a.interpolator = interpolator(anim.optString("timingFunction", "ease"))
        a.repeatCount = if (anim.has("iterationCount")) {
            (Math.ceil(anim.optDouble("iterationCount", 1.0)).toInt() - 1).coerceAtLeast(0)
        } else {
            ValueAnimator.INFINITE
        }
        a.repeatMode = if (anim.optString("direction").startsWith("alternate")) ValueAnimator.REVERSE else ValueAnimator.RESTART
        return a
    }

    /** CSS timing functions as Android interpolators. */
    fun interpolator(css: String): TimeInterpolator {
        val bezier = Regex("""cubic-bezier\(([^)]*)\)""").find(css)?.groupValues?.get(1)
            ?.split(',')?.mapNotNull { it.trim().toFloatOrNull() }
        return when {
            bezier != null && bezier.size == 4 -> PathInterpolator(bezier[0], bezier[1], bezier[2], bezier[3])
            css == "linear" -> LinearInterpolator()
            css == "ease-in" -> AccelerateInterpolator()
            css == "ease-out" -> DecelerateInterpolator()
            css == "ease-in-out" -> AccelerateDecelerateInterpolator()
            else -> PathInterpolator(0.25f, 0.1f, 0.25f, 1f) // `ease`
        }
    }
}
