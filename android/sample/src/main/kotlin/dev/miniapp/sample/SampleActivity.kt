package dev.miniapp.sample

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import android.widget.ArrayAdapter
import android.widget.ListView
import dev.miniapp.example.CampusActivity
import java.io.File

/**
 * The sample's first screen: every mini program bundled in `assets/apps/` (a folder holding
 * `app.json` each), one per row. A tap unpacks it into `filesDir/apps/<name>` (the runtime opens
 * folders and ZIPs, not APK assets) and opens it in [CampusActivity].
 */
class SampleActivity : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val names = assets.list("apps")?.sorted() ?: emptyList()
        val list = ListView(this)
        list.adapter = ArrayAdapter(this, android.R.layout.simple_list_item_1, names)
        list.setOnItemClickListener { _, _, position, _ ->
            val dir = unpack("apps/${names[position]}", File(filesDir, "apps/${names[position]}"))
            startActivity(Intent(this, CampusActivity::class.java).putExtra("dir", dir.path))
        }
        setContentView(list)
    }

    /** Copies the asset folder [from] to [to] (again on every open, so an update replaces it). */
    private fun unpack(from: String, to: File): File {
        to.deleteRecursively()
        copy(from, to)
        return to
    }

    private fun copy(from: String, to: File) {
        val children = assets.list(from) ?: emptyArray()
        if (children.isEmpty()) {
            to.parentFile?.mkdirs()
            assets.open(from).use { input -> to.outputStream().use { input.copyTo(it) } }
            return
        }
        to.mkdirs()
        for (child in children) copy("$from/$child", File(to, child))
    }
}
