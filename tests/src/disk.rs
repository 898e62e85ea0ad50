//! File systems the disk-fault tests break under a phone's data directory: a tiny tmpfs that
//! fills up, and an ext4 image that the kernel turns read-only under open files, as it does to
//! a phone's data partition after a file-system error (`errors=remount-ro`). A tmpfs cannot
//! stand in for the second: Linux refuses to remount a file system read-only while a file on
//! it is open for writing, and the store always has its databases open.
//!
//! Both need to mount, so the tests that use them need root (they run as root in CI). Without
//! it [`require_root`] fails the test with the reason: never a silent skip. Each guard unmounts
//! in `Drop`, so a failing test leaves no mount behind.

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use crate::TestResult;

/// Fails the test unless it runs as root: mounting needs it.
pub fn require_root() -> TestResult<()> {
    if fs::metadata("/proc/self")?.uid() == 0 {
        Ok(())
    } else {
        Err("the disk-fault tests mount file systems and must run as root (CI does)".into())
    }
}

/// A tmpfs of a few hundred KiB mounted on a temporary directory.
pub struct TinyTmpfs {
    mount_point: TempDir,
    filler: PathBuf,
}

impl TinyTmpfs {
    pub fn mount(size_kib: u32) -> TestResult<Self> {
        require_root()?;
        let mount_point = tempfile::tempdir()?;
        run(Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size_kib}k,mode=0700"))
            .arg("tmpfs")
            .arg(mount_point.path()))?;
        let filler = mount_point.path().join("filler");
        Ok(Self {
            mount_point,
            filler,
        })
    }

    pub fn path(&self) -> &Path {
        self.mount_point.path()
    }

    /// Writes a file until the file system has no byte left. Returns how many bytes it took.
    pub fn fill(&self) -> TestResult<u64> {
        let mut file = File::options()
            .create(true)
            .append(true)
            .open(&self.filler)?;
        let block = [0u8; 4096];
        let mut written = 0u64;
        loop {
            match file.write(&block) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(error) if error.kind() == io::ErrorKind::StorageFull => break,
                Err(error) => return Err(error.into()),
            }
        }
        // The last partial page too.
        while let Ok(1..) = file.write(&[0u8]) {
            written += 1;
        }
        Ok(written)
    }

    /// Deletes what [`TinyTmpfs::fill`] wrote.
    pub fn free(&self) -> TestResult<()> {
        Ok(fs::remove_file(&self.filler)?)
    }
}

impl Drop for TinyTmpfs {
    fn drop(&mut self) {
        unmount(self.mount_point.path());
    }
}

/// An ext4 file system in an image file, mounted through a loop device with
/// `errors=remount-ro`.
pub struct Ext4Image {
    _dir: TempDir,
    image: PathBuf,
    mount_point: PathBuf,
    mounted: bool,
}

impl Ext4Image {
    pub fn mount(size_mib: u32) -> TestResult<Self> {
        require_root()?;
        let dir = tempfile::tempdir()?;
        let image = dir.path().join("disk.img");
        File::create(&image)?.set_len(u64::from(size_mib) << 20)?;
        run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image))?;
        let mount_point = dir.path().join("mnt");
        fs::create_dir(&mount_point)?;
        let mut disk = Self {
            _dir: dir,
            image,
            mount_point,
            mounted: false,
        };
        disk.attach()?;
        Ok(disk)
    }

    pub fn path(&self) -> &Path {
        &self.mount_point
    }

    /// The switch that makes the file system read-only, to be thrown from another thread.
    pub fn trigger(&self) -> TestResult<ReadOnlyTrigger> {
        let device = self.device()?;
        let name = Path::new(&device).file_name().ok_or("no device name")?;
        Ok(ReadOnlyTrigger {
            sysfs: Path::new("/sys/fs/ext4")
                .join(name)
                .join("trigger_fs_error"),
        })
    }

    /// What the phone does after such an error: unmount, check the file system, mount it
    /// again writable. Every file on it must be closed first (the app quit).
    pub fn repair(&mut self) -> TestResult<()> {
        self.detach()?;
        // e2fsck exits 1 when it corrected something, which is the point here.
        let checked = Command::new("e2fsck")
            .arg("-fy")
            .arg(&self.image)
            .output()?;
        if !matches!(checked.status.code(), Some(0 | 1)) {
            return Err(format!("e2fsck failed: {checked:?}").into());
        }
        self.attach()
    }

    fn attach(&mut self) -> TestResult<()> {
        run(Command::new("mount")
            .args(["-o", "loop,errors=remount-ro"])
            .arg(&self.image)
            .arg(&self.mount_point))?;
        self.mounted = true;
        fs::set_permissions(&self.mount_point, fs::Permissions::from_mode(0o700))?;
        Ok(())
    }

    fn detach(&mut self) -> TestResult<()> {
        // The store's files close as the app's last handle goes; give its threads a moment.
        for _ in 0..50 {
            if Command::new("umount")
                .arg(&self.mount_point)
                .status()?
                .success()
            {
                self.mounted = false;
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the ext4 image stayed busy: a file on it is still open".into())
    }

    fn device(&self) -> TestResult<String> {
        let found = Command::new("findmnt")
            .args(["-n", "-o", "SOURCE"])
            .arg(&self.mount_point)
            .output()?;
        let device = String::from_utf8(found.stdout)?.trim().to_owned();
        if device.is_empty() {
            return Err("the ext4 image is not mounted".into());
        }
        Ok(device)
    }
}

/// What the kernel does on a file-system error, on demand.
pub struct ReadOnlyTrigger {
    sysfs: PathBuf,
}

impl ReadOnlyTrigger {
    /// The file system is read-only from now on, files already open included, until it is
    /// checked and mounted again ([`Ext4Image::repair`]).
    pub fn fail_read_only(&self) -> TestResult<()> {
        Ok(fs::write(&self.sysfs, "1")?)
    }
}

impl Drop for Ext4Image {
    fn drop(&mut self) {
        // The loop device goes with the last unmount (mount -o loop sets autoclear), the
        // image with the temporary directory after this.
        if self.mounted {
            unmount(&self.mount_point);
        }
    }
}

/// Unmounts `path`; lazily if something still holds it, so the mount never outlives the test.
fn unmount(path: &Path) {
    let unmounted = Command::new("umount")
        .arg(path)
        .status()
        .is_ok_and(|status| status.success());
    if !unmounted {
        let _ = Command::new("umount").arg("-l").arg(path).status();
    }
}

fn run(command: &mut Command) -> TestResult<()> {
    let output = command.output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )
        .into())
    }
}
