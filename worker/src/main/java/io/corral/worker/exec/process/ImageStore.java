package io.corral.worker.exec.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves image references to image directories under a node's image root ({@code
 * <root>/NAME/TAG/}).
 */
public final class ImageStore {

  /** The image is not in the image root; the message is docker's ("No such image: app:3"). */
  public static final class NoSuchImageException extends Exception {
    public NoSuchImageException(String ref) {
      super("No such image: " + ref);
    }
  }

  private final Path root;

  public ImageStore(Path root) {
    this.root = root;
  }

  /**
   * The manifest of {@code ref}. Throws {@link NoSuchImageException} when its directory or manifest
   * is absent, {@link IOException} or {@link IllegalArgumentException} when it exists but cannot be
   * read or is malformed.
   */
  public ImageManifest resolve(String ref) throws NoSuchImageException, IOException {
    ImageRef parsed;
    try {
      parsed = ImageRef.parse(ref);
    } catch (IllegalArgumentException e) {
      throw new NoSuchImageException(ref);
    }
    Path dir = parsed.directory(root);
    if (!Files.isRegularFile(dir.resolve(ImageManifest.FILE_NAME))) {
      throw new NoSuchImageException(parsed.toString());
    }
    return ImageManifest.load(dir);
  }
}
