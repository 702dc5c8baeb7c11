//! File sandbox natives (`files`): `wx.getFileSystemManager` and the temp/user files APIs.
//! Failures are thrown as `<reason key>|<message>`; data crosses as text in the caller's
//! encoding (base64 for binary).
use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result};

use crate::files::{self, FsError};
use crate::runtime::state::AppState;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    macro_rules! fs_op {
        ($name:literal, |$sb:ident $(, $arg:ident : $ty:ty)*| -> $ret:ty $body:block) => {{
            let s = state.clone();
            n.set(
                $name,
                Func::from(move |ctx: Ctx<'js>, $($arg: $ty),*| -> Result<$ret> {
                    s.with_files(|$sb| $body).map_err(|e| fs_err(&ctx, &e))
                }),
            )?;
        }};
    }
    fs_op!("fsRead", |sb,
                      path: String,
                      encoding: String,
                      position: Option<f64>,
                      length: Option<f64>|
     -> String {
        let bytes =
            sb.read(&path, position.map(|p| p.max(0.0) as u64), length.map(|l| l.max(0.0) as u64))?;
        files::encode(&bytes, &encoding).map_err(|e| FsError::InvalidPath(path.clone(), e))
    });
    fs_op!("fsWrite", |sb, path: String, data: String, encoding: String, append: bool| -> () {
        let bytes =
            files::decode(&data, &encoding).map_err(|e| FsError::InvalidPath(path.clone(), e))?;
        sb.write(&path, &bytes, append)
    });
    // `[width, height, type]` (as text) of an image file (package, temp or user): its header only.
    fs_op!("imageInfo", |sb, path: String| -> Vec<String> {
        let bytes = sb.read(&path, None, None)?;
        let unreadable = || {
            FsError::InvalidPath(
                path.clone(),
                "not an image this runtime can read (png, jpeg, gif, webp, bmp, ico, tiff, heif)"
                    .into(),
            )
        };
        let size = imagesize::blob_size(&bytes).map_err(|_| unreadable())?;
        let kind = match imagesize::image_type(&bytes).map_err(|_| unreadable())? {
            imagesize::ImageType::Png => "png",
            imagesize::ImageType::Jpeg => "jpeg",
            imagesize::ImageType::Gif => "gif",
            imagesize::ImageType::Webp => "webp",
            imagesize::ImageType::Bmp => "bmp",
            imagesize::ImageType::Tiff => "tiff",
            _ => "unknown",
        };
        Ok(vec![size.width.to_string(), size.height.to_string(), kind.to_string()])
    });
    fs_op!("fsMkdir", |sb, path: String, recursive: bool| -> () { sb.mkdir(&path, recursive) });
    fs_op!("fsRmdir", |sb, path: String, recursive: bool| -> () { sb.rmdir(&path, recursive) });
    fs_op!("fsReaddir", |sb, path: String| -> Vec<String> { sb.readdir(&path) });
    fs_op!("fsUnlink", |sb, path: String| -> () { sb.unlink(&path) });
    fs_op!("fsRename", |sb, from: String, to: String| -> () { sb.rename(&from, &to) });
    fs_op!("fsCopy", |sb, from: String, to: String| -> () { sb.copy(&from, &to) });
    fs_op!("fsAccess", |sb, path: String| -> () { sb.access(&path) });
    fs_op!("fsAdmitTemp", |sb, path: String| -> () { sb.admit_temp(&path) });
    fs_op!("fsNewTemp", |sb, extension: String| -> Vec<String> {
        let (shown, real) = sb.new_temp_file(&extension);
        Ok(vec![shown, real.display().to_string()])
    });
    fs_op!("fsRealFile", |sb, path: String| -> String {
        sb.real_file(&path).map(|p| p.display().to_string())
    });
    fs_op!("fsStat", |sb, path: String| -> String {
        sb.stat(&path).map(|st| serde_json::to_string(&st).unwrap_or_default())
    });
    Ok(())
}

fn fs_err(ctx: &Ctx<'_>, e: &FsError) -> rquickjs::Error {
    Exception::throw_message(ctx, &format!("{}|{e}", e.reason_key()))
}
