package dev.miniapp.android

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.os.Build
import android.os.CancellationSignal
import android.os.Handler
import android.os.Looper
import dev.miniapp.HostReply
import org.json.JSONObject

/**
 * `wx.getLocation` from Android's [LocationManager]: the freshest last-known fix of the enabled
 * providers, else one current fix (API 30+; `requestSingleUpdate` before), given up after the
 * call's `highAccuracyExpireTime` (default 10 s). `type: "gcj02"` converts with
 * [ChinaCoordinates]. The host app must hold `ACCESS_FINE_LOCATION` or `ACCESS_COARSE_LOCATION`
 * (asking the user for it is the host app's part); the mini program's own consent
 * (`scope.userLocation`) was asked before the call arrived. Runs on the main thread.
 */
internal class DeviceLocation(private val context: Context) {
    private val main = Handler(Looper.getMainLooper())

    fun get(args: JSONObject, reply: HostReply) {
        val fine = granted(Manifest.permission.ACCESS_FINE_LOCATION)
        if (!fine && !granted(Manifest.permission.ACCESS_COARSE_LOCATION)) {
            reply.fail("the host app does not hold the location permission (ACCESS_FINE_LOCATION or ACCESS_COARSE_LOCATION)")
            return
        }
        val manager = context.getSystemService(Context.LOCATION_SERVICE) as? LocationManager
        if (manager == null) {
            reply.fail("this device has no location service")
            return
        }
        val providers = manager.getProviders(true).filter { fine || it != LocationManager.GPS_PROVIDER }
        if (providers.isEmpty()) {
            reply.fail("location is turned off on this device")
            return
        }
        @Suppress("MissingPermission")
        val last = providers.mapNotNull { manager.getLastKnownLocation(it) }.maxByOrNull { it.time }
        if (last != null) {
            reply.ok(answer(last, args))
            return
        }
        current(manager, providers.first(), args, reply)
    }

    /** One fresh fix from [provider], or a failure after the call's time limit. */
    @Suppress("MissingPermission", "DEPRECATION")
    private fun current(manager: LocationManager, provider: String, args: JSONObject, reply: HostReply) {
        var done = false
        val finish = { location: Location? ->
            if (!done) {
                done = true
                if (location != null) reply.ok(answer(location, args)) else reply.fail("no location fix in time")
            }
        }
        val limit = args.optLong("highAccuracyExpireTime", 10_000L).coerceIn(1_000L, 60_000L)
        if (Build.VERSION.SDK_INT >= 30) {
            val cancel = CancellationSignal()
            manager.getCurrentLocation(provider, cancel, context.mainExecutor) { finish(it) }
            main.postDelayed({ cancel.cancel(); finish(null) }, limit)
        } else {
            val listener = android.location.LocationListener { finish(it) }
            manager.requestSingleUpdate(provider, listener, Looper.getMainLooper())
            main.postDelayed({ manager.removeUpdates(listener); finish(null) }, limit)
        }
    }

    private fun granted(permission: String) =
        context.checkSelfPermission(permission) == PackageManager.PERMISSION_GRANTED

    /** WeChat's result: degrees in the asked datum, metres, metres per second (-1: unknown). */
    private fun answer(location: Location, args: JSONObject): String {
        val (latitude, longitude) = if (args.optString("type") == "gcj02") {
            ChinaCoordinates.toGcj02(location.latitude, location.longitude)
        } else {
            location.latitude to location.longitude
        }
        val vertical = if (Build.VERSION.SDK_INT >= 26 && location.hasVerticalAccuracy()) location.verticalAccuracyMeters.toDouble() else 0.0
        return JSONObject()
            .put("latitude", latitude)
            .put("longitude", longitude)
            .put("speed", if (location.hasSpeed()) location.speed.toDouble() else -1.0)
            .put("accuracy", if (location.hasAccuracy()) location.accuracy.toDouble() else 0.0)
            .put("altitude", if (location.hasAltitude()) location.altitude else 0.0)
            .put("verticalAccuracy", vertical)
            .put("horizontalAccuracy", if (location.hasAccuracy()) location.accuracy.toDouble() else 0.0)
            .toString()
    }
}
