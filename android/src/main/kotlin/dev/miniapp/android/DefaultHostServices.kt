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

/**
 * What an Android host app does for a mini program out of the box: toasts, modal dialogs (with
 * an Activity context), the clipboard, the network type and the phone dialer. Every other call
 * fails with a clear reason; a host app extends this class (or writes its own [HostServices])
 * for payments, login, location and the rest. Calls arrive on the app's logic thread; UI work is
 * posted to the main thread and the reply is given from there.
 */
open class DefaultHostServices(private val context: Context) : HostServices {
    private val main = Handler(Looper.getMainLooper())

    override fun call(call: HostCallRecord, reply: HostReply) {
        val args = runCatching { JSONObject(call.argsJson) }.getOrDefault(JSONObject())
        when (call.api) {
            "showToast" -> main.post {
                Toast.makeText(context, args.optString("title"), Toast.LENGTH_SHORT).show()
                reply.ok("{}")
            }
            "hideToast", "showLoading", "hideLoading" -> reply.ok("{}")
            "showModal" -> main.post { showModal(args, reply) }
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
