package dev.miniapp.android

import kotlin.math.PI
import kotlin.math.abs
import kotlin.math.cos
import kotlin.math.sin
import kotlin.math.sqrt

/**
 * WGS-84 (what GPS and Android's LocationManager give) and GCJ-02 (China's mandated datum, what
 * WeChat's `getLocation({type: 'gcj02'})`, `<map>` and `openLocation` use). Inside mainland China
 * the two differ by a few hundred metres, by the published obfuscation polynomial; outside it
 * they are the same. Pure functions, any thread.
 */
object ChinaCoordinates {
    /** Semi-major axis and eccentricity squared of the Krasovsky 1940 ellipsoid GCJ-02 uses. */
    private const val AXIS = 6378245.0
    private const val ECCENTRICITY_SQUARED = 0.00669342162296594323

    /** Outside this box the datum is not shifted. */
    fun outsideChina(latitude: Double, longitude: Double): Boolean =
        longitude < 72.004 || longitude > 137.8347 || latitude < 0.8293 || latitude > 55.8271

    /** GCJ-02 for a WGS-84 position: `(latitude, longitude)`. */
    fun toGcj02(latitude: Double, longitude: Double): Pair<Double, Double> {
        if (outsideChina(latitude, longitude)) return latitude to longitude
        val (dLat, dLon) = shift(latitude, longitude)
        return (latitude + dLat) to (longitude + dLon)
    }

    /** WGS-84 for a GCJ-02 position, by fixed-point iteration of [toGcj02] (within 1e-7°). */
    fun toWgs84(latitude: Double, longitude: Double): Pair<Double, Double> {
        if (outsideChina(latitude, longitude)) return latitude to longitude
        var lat = latitude
        var lon = longitude
        repeat(8) {
            val (gLat, gLon) = toGcj02(lat, lon)
            lat += latitude - gLat
            lon += longitude - gLon
        }
        return lat to lon
    }

    /** The shift in degrees at a WGS-84 position. */
    private fun shift(latitude: Double, longitude: Double): Pair<Double, Double> {
        val x = longitude - 105.0
        val y = latitude - 35.0
        val waves = (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0
        val latPoly = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x)) + waves +
            (20.0 * sin(y * PI) + 40.0 * sin(y / 3.0 * PI)) * 2.0 / 3.0 +
            (160.0 * sin(y / 12.0 * PI) + 320.0 * sin(y * PI / 30.0)) * 2.0 / 3.0
        val lonPoly = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x)) + waves +
            (20.0 * sin(x * PI) + 40.0 * sin(x / 3.0 * PI)) * 2.0 / 3.0 +
            (150.0 * sin(x / 12.0 * PI) + 300.0 * sin(x / 30.0 * PI)) * 2.0 / 3.0
        val radLat = latitude / 180.0 * PI
        val magic = 1.0 - ECCENTRICITY_SQUARED * sin(radLat) * sin(radLat)
        val sqrtMagic = sqrt(magic)
        val dLat = latPoly * 180.0 / ((AXIS * (1.0 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic) * PI)
        val dLon = lonPoly * 180.0 / (AXIS / sqrtMagic * cos(radLat) * PI)
        return dLat to dLon
    }
}
