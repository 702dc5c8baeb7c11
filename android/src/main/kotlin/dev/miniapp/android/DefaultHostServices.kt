package dev.miniapp.android

import android.app.Activity
import android.app.AlertDialog
import android.content.ClipData
import android.content.ClipboardManager
import android.content.Context
import android.content.Intent
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.net.Uri
import android.os.Handler
import android.os.Looper
import android.widget.Toast
import dev.miniapp.HostCallRecord
import dev.miniapp.HostReply
import dev.miniapp.HostServices
import org.json.JSONObject
import java.io.File
import java.net.HttpURLConnection
import java.net.URL
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/**
 * What an Android host app does for a mini program out of the box: toasts, modal dialogs and
 * action sheets (with an Activity context), the user's consent to a scope (`authorize`: a dialog
 * showing the app's `permission` description), the clipboard, vibration, keeping the screen on,
 * hiding the keyboard, the network type, the phone dialer, the device's location
 * (`getLocation`, see [DeviceLocation]) and a map app for `openLocation`, and HTTP(S) for
 * `request`, `downloadFile` and `uploadFile` on worker threads (the core has already checked
 * each URL against the capability policy's domain lists, so exactly that URL is fetched). Every
 * other call fails with a clear reason; a host app extends this class (or writes its own
 * [HostServices]) for payments, login and the rest. Calls arrive on the app's logic thread; UI
 * work is posted to the main thread and the reply is given from there.
 */
open class DefaultHostServices(private val context: Context) : HostServices {
    private val main = Handler(Looper.getMainLooper())
    private val network: ExecutorService = Executors.newCachedThreadPool { r ->
        Thread(r, "miniapp-network").apply { isDaemon = true }
    }
    private val location = DeviceLocation(context)

    override fun call(call: HostCallRecord, reply: HostReply) {
        val args = runCatching { JSONObject(call.argsJson) }.getOrDefault(JSONObject())
        when (call.api) {
            "showToast" -> main.post {
                Toast.makeText(context, args.optString("title"), Toast.LENGTH_SHORT).show()
                reply.ok("{}")
            }
            "hideToast", "showLoading", "hideLoading" -> reply.ok("{}")
            "showModal" -> main.post { showModal(args, reply) }
            "showActionSheet" -> main.post { showActionSheet(args, reply) }
            "vibrateShort", "vibrateLong" -> main.post {
                @Suppress("DEPRECATION")
                val vibrator = context.getSystemService(Context.VIBRATOR_SERVICE) as? android.os.Vibrator
                if (vibrator == null || !vibrator.hasVibrator()) {
                    reply.fail("this device cannot vibrate")
                } else {
                    @Suppress("DEPRECATION")
                    vibrator.vibrate(if (call.api == "vibrateShort") 15L else 400L)
                    reply.ok("{}")
                }
            }
            "setKeepScreenOn" -> main.post {
                val window = (context as? Activity)?.window
                if (window == null) {
                    reply.fail("setKeepScreenOn needs an Activity context")
                } else {
                    val flag = android.view.WindowManager.LayoutParams.FLAG_KEEP_SCREEN_ON
                    if (args.optBoolean("keepScreenOn")) window.addFlags(flag) else window.clearFlags(flag)
                    reply.ok("{}")
                }
            }
            "hideKeyboard" -> main.post {
                val focused = (context as? Activity)?.currentFocus
                val ime = context.getSystemService(Context.INPUT_METHOD_SERVICE) as? android.view.inputmethod.InputMethodManager
                focused?.let { ime?.hideSoftInputFromWindow(it.windowToken, 0) }
                reply.ok("{}")
            }
            "setClipboardData" -> main.post {
                clipboard().setPrimaryClip(ClipData.newPlainText("mini program", args.optString("data")))
                reply.ok("{}")
            }
            "getClipboardData" -> main.post {
                val text = clipboard().primaryClip?.takeIf { it.itemCount > 0 }?.getItemAt(0)?.text?.toString() ?: ""
                reply.ok(JSONObject().put("data", text).toString())
            }
            "getNetworkType" -> reply.ok(JSONObject().put("networkType", networkType()).toString())
            "makePhoneCall" -> main.post {
                val intent = Intent(Intent.ACTION_DIAL, Uri.parse("tel:" + args.optString("phoneNumber")))
                intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
                runCatching { context.startActivity(intent) }
                    .onSuccess { reply.ok("{}") }
                    .onFailure { reply.fail("no app can dial: ${it.message}") }
            }
            "authorize" -> main.post { authorize(args, reply) }
            "getLocation" -> main.post { location.get(args, reply) }
            "openLocation" -> main.post { openLocation(args, reply) }
            "request" -> network.execute { request(args, reply) }
            "downloadFile" -> network.execute { download(args, reply) }
            "uploadFile" -> network.execute { upload(args, reply) }
            else -> unavailable(call, reply)
        }
    }

    override fun cancel(appId: String, id: ULong) {}

    /** What the default host cannot do: the call fails with this reason. */
    protected open fun unavailable(call: HostCallRecord, reply: HostReply) {
        reply.fail("${call.api} is not available in this host app")
    }

    private fun showModal(args: JSONObject, reply: HostReply) {
        if (context !is Activity) {
            reply.fail("showModal needs an Activity context to show a dialog")
            return
        }
        val builder = AlertDialog.Builder(context)
            .setTitle(args.optString("title"))
            .setMessage(args.optString("content"))
            .setCancelable(false)
            .setPositiveButton(args.optString("confirmText", "OK")) { _, _ ->
                reply.ok("""{"confirm":true,"cancel":false}""")
            }
        if (args.optBoolean("showCancel", true)) {
            builder.setNegativeButton(args.optString("cancelText", "Cancel")) { _, _ ->
                reply.ok("""{"confirm":false,"cancel":true}""")
            }
        }
        builder.show()
    }

    /** `request`: `{statusCode, header, data, cookies}` with the body as text (the core parses
     *  JSON for `dataType: "json"`); an HTTP error status is a response, not a failure. */
    private fun request(args: JSONObject, reply: HostReply) {
        try {
            val conn = open(args)
            conn.requestMethod = args.optString("method", "GET").uppercase()
            val data = args.optString("data", "")
            if (data.isNotEmpty() && conn.requestMethod != "GET") {
                conn.doOutput = true
                conn.outputStream.use { it.write(data.toByteArray()) }
            }
            val status = conn.responseCode
            val body = (if (status >= 400) conn.errorStream else conn.inputStream)?.use { it.readBytes() } ?: ByteArray(0)
            reply.ok(
                JSONObject()
                    .put("statusCode", status)
                    .put("header", headers(conn))
                    .put("data", String(body).removePrefix("\uFEFF"))
                    .put("cookies", org.json.JSONArray())
                    .toString(),
            )
        } catch (e: Exception) {
            reply.fail(e.message ?: e.javaClass.simpleName)
        }
    }

    /** `downloadFile`: the body goes to the `savePath` the core chose; `{statusCode}`. */
    private fun download(args: JSONObject, reply: HostReply) {
        try {
            val conn = open(args)
            val status = conn.responseCode
            if (status < 400) {
                conn.inputStream.use { input -> File(args.getString("savePath")).outputStream().use { input.copyTo(it) } }
            }
            reply.ok(JSONObject().put("statusCode", status).toString())
        } catch (e: Exception) {
            reply.fail(e.message ?: e.javaClass.simpleName)
        }
    }

    private fun open(args: JSONObject): HttpURLConnection {
        val conn = URL(args.getString("url")).openConnection() as HttpURLConnection
        val timeout = args.optInt("timeout", 60_000)
        conn.connectTimeout = timeout
        conn.readTimeout = timeout
        conn.instanceFollowRedirects = false // a redirect must not leave the allowlisted URL
        args.optJSONObject("header")?.let { h -> h.keys().forEach { k -> conn.setRequestProperty(k, h.optString(k)) } }
        return conn
    }

    private fun headers(conn: HttpURLConnection): JSONObject {
        val out = JSONObject()
        for ((k, v) in conn.headerFields) if (k != null) out.put(k.lowercase(), v.joinToString(", "))
        return out
    }

    /** The user's consent to a scope the mini program asks for the first time, or to its
     *  privacy guide (scope `privacy`): `{granted}`. The dialog shows what the scope lets the app
     *  do and the app's own reason (app.json `permission`); the core remembers the answer. */
    private fun authorize(args: JSONObject, reply: HostReply) {
        if (context !is Activity) {
            reply.fail("authorize needs an Activity context to ask the user")
            return
        }
        val scope = args.optString("scope")
        val privacy = scope == "privacy" // desc: the privacy guide's name
        val title = if (privacy) {
            "Agree to this mini program's privacy guide?"
        } else {
            "Allow this mini program to use ${SCOPE_NAMES[scope] ?: scope}?"
        }
        AlertDialog.Builder(context)
            .setTitle(title)
            .setMessage(args.optString("desc"))
            .setCancelable(false)
            .setPositiveButton(if (privacy) "Agree" else "Allow") { _, _ -> reply.ok("""{"granted":true}""") }
            .setNegativeButton(if (privacy) "Disagree" else "Don't allow") { _, _ -> reply.ok("""{"granted":false}""") }
            .show()
    }

    /** `openLocation`: a map app at the place (`geo:` URI; the call's GCJ-02 position converted
     *  to the WGS-84 such URIs use). */
    private fun openLocation(args: JSONObject, reply: HostReply) {
        val (latitude, longitude) = ChinaCoordinates.toWgs84(args.optDouble("latitude"), args.optDouble("longitude"))
        val label = listOf(args.optString("name"), args.optString("address")).filter { it.isNotEmpty() }.joinToString(" ")
        val query = "$latitude,$longitude" + if (label.isEmpty()) "" else "(" + Uri.encode(label) + ")"
        val intent = Intent(Intent.ACTION_VIEW, Uri.parse("geo:$latitude,$longitude?q=$query&z=${args.optInt("scale", 18)}"))
        intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        runCatching { context.startActivity(intent) }
            .onSuccess { reply.ok("{}") }
            .onFailure { reply.fail("no map app can show a place: ${it.message}") }
    }

    /** An action sheet: `{tapIndex}`, or WeChat's `cancel` failure when dismissed. */
    private fun showActionSheet(args: JSONObject, reply: HostReply) {
        if (context !is Activity) {
            reply.fail("showActionSheet needs an Activity context to show a dialog")
            return
        }
        val list = args.optJSONArray("itemList") ?: org.json.JSONArray()
        val items = Array(list.length()) { list.optString(it) }
        val builder = AlertDialog.Builder(context)
            .setItems(items) { _, which -> reply.ok(JSONObject().put("tapIndex", which).toString()) }
            .setOnCancelListener { reply.fail("cancel") }
        args.optString("alertText").takeIf { it.isNotEmpty() }?.let(builder::setTitle)
        builder.show()
    }

    /** `uploadFile`: the file as `multipart/form-data` (field [name] plus `formData`);
     *  `{statusCode, data}`. */
    private fun upload(args: JSONObject, reply: HostReply) {
        try {
            val boundary = "miniapp" + System.nanoTime()
            val conn = open(args)
            conn.requestMethod = "POST"
            conn.doOutput = true
            conn.setRequestProperty("Content-Type", "multipart/form-data; boundary=$boundary")
            val file = File(args.getString("realPath"))
            conn.outputStream.use { out ->
                fun line(text: String) = out.write((text + "\r\n").toByteArray())
                args.optJSONObject("formData")?.let { form ->
                    form.keys().forEach { key ->
                        line("--$boundary")
                        line("Content-Disposition: form-data; name=\"$key\"")
                        line("")
                        line(form.optString(key))
                    }
                }
                line("--$boundary")
                line("Content-Disposition: form-data; name=\"${args.optString("name")}\"; filename=\"${file.name}\"")
                line("Content-Type: application/octet-stream")
                line("")
                file.inputStream().use { it.copyTo(out) }
                line("")
                line("--$boundary--")
            }
            val status = conn.responseCode
            val body = (if (status >= 400) conn.errorStream else conn.inputStream)?.use { it.readBytes() } ?: ByteArray(0)
            reply.ok(JSONObject().put("statusCode", status).put("data", String(body)).toString())
        } catch (e: Exception) {
            reply.fail(e.message ?: e.javaClass.simpleName)
        }
    }

    private companion object {
        /** What each consent scope lets the mini program use, as the dialog names it. */
        val SCOPE_NAMES = mapOf(
            "scope.userLocation" to "your location",
            "scope.userFuzzyLocation" to "your approximate location",
            "scope.userLocationBackground" to "your location in the background",
            "scope.record" to "the microphone",
            "scope.camera" to "the camera",
            "scope.writePhotosAlbum" to "your photo album",
            "scope.addPhoneContact" to "your contacts",
            "scope.addPhoneCalendar" to "your calendar",
            "scope.bluetooth" to "Bluetooth",
        )
    }

    private fun clipboard() = context.getSystemService(Context.CLIPBOARD_SERVICE) as ClipboardManager

    private fun networkType(): String {
        val cm = context.getSystemService(Context.CONNECTIVITY_SERVICE) as? ConnectivityManager ?: return "unknown"
        val caps = cm.getNetworkCapabilities(cm.activeNetwork) ?: return "none"
        return when {
            caps.hasTransport(NetworkCapabilities.TRANSPORT_WIFI) -> "wifi"
            caps.hasTransport(NetworkCapabilities.TRANSPORT_ETHERNET) -> "ethernet"
            caps.hasTransport(NetworkCapabilities.TRANSPORT_CELLULAR) -> "4g"
            else -> "unknown"
        }
    }
}
