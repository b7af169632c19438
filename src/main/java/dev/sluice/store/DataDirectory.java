package dev.sluice.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The directory of a file store. Tenants' secrets are stored in it, so it is made readable by its owner only (0700)
 * and the stores create their files owner-only (0600); a directory that others may read (made by hand, or by an
 * earlier version) is narrowed to 0700 when this process may change it. What an operator has to fix (another
 * process holds the directory, a permission is missing, the path is a file) is reported as a
 * {@link DataDirectoryException} whose message is one line.
 */
public final class DataDirectory {
    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private DataDirectory() {}

    /** Creates the directory owner-only, or checks an existing one and narrows it; returns it. */
    public static Path prepare(Path directory) {
        try {
            if (Files.exists(directory) && !Files.isDirectory(directory)) {
                throw new DataDirectoryException("the data directory " + directory.toAbsolutePath()
                        + " is not a directory; set sluice.data-dir to a directory");
            }
            if (!Files.exists(directory)) {
                Path parent = directory.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.createDirectory(directory, directoryAttributes());
            } else if (POSIX) {
                narrow(directory);
            }
        } catch (IOException e) {
            throw unusable(directory, e);
        }
        if (!Files.isReadable(directory) || !Files.isWritable(directory) || !Files.isExecutable(directory)) {
            throw new DataDirectoryException("the data directory " + directory.toAbsolutePath()
                    + " is not readable and writable by this process (user " + System.getProperty("user.name")
                    + "); give it that user or choose another sluice.data-dir");
        }
        return directory;
    }

    /** The attributes for a store file created in the directory: owner-only where the file system knows modes. */
    public static FileAttribute<?>[] fileAttributes() {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
    }

    /** Makes a file that a library created (MapDB's) owner-only. */
    public static void restrict(Path file) {
        if (POSIX && Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            } catch (IOException e) {
                LOG.warning("cannot make " + file + " owner-only: " + e);
            }
        }
    }

    /** The one-line report for an I/O failure on the directory or one of its files. */
    public static DataDirectoryException unusable(Path directory, IOException e) {
        String where = directory.toAbsolutePath().toString();
        if (e instanceof AccessDeniedException denied) {
            return new DataDirectoryException("permission denied on " + denied.getFile() + " (data directory " + where
                    + ", user " + System.getProperty("user.name") + "); give the directory to that user or choose"
                    + " another sluice.data-dir");
        }
        String reason = e instanceof FileSystemException failure && failure.getReason() != null
                ? failure.getFile() + ": " + failure.getReason()
                : String.valueOf(e.getMessage());
        return new DataDirectoryException("cannot use the data directory " + where + ": " + reason);
    }

    private static FileAttribute<?>[] directoryAttributes() {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY)}
                : new FileAttribute<?>[0];
    }

    private static void narrow(Path directory) {
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
            if (!OWNER_ONLY_DIRECTORY.containsAll(current)) {
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
                LOG.info("made the data directory " + directory.toAbsolutePath() + " owner-only (was "
                        + PosixFilePermissions.toString(current) + ")");
            }
        } catch (IOException e) {
            LOG.warning("the data directory " + directory.toAbsolutePath() + " is open to other users and cannot be"
                    + " made owner-only (" + e + "); it holds tenants' secrets: chmod 700 it");
        }
    }
}
