package io.corral.worker.exec.process;

import java.nio.file.Path;

/**
 * An image reference for the process executor: {@code NAME[:TAG][@DIGEST]}, where NAME may contain
 * slashes (and a registry host with a port); no tag means {@code latest}. A digest is ignored:
 * local image directories have none.
 */
public record ImageRef(String name, String tag) {

  public static final String DEFAULT_TAG = "latest";

  public ImageRef {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty image name");
    }
  }

  /**
   * Parses {@code ref}; throws {@link IllegalArgumentException} for a reference that cannot name a
   * directory.
   */
  public static ImageRef parse(String ref) {
    String s = ref.strip();
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    int colon = s.lastIndexOf(':');
    // A colon before the last slash belongs to a registry host:port, not to the tag.
    String name = colon > slash ? s.substring(0, colon) : s;
    String tag = colon > slash ? s.substring(colon + 1) : DEFAULT_TAG;
    if (name.isEmpty() || tag.isEmpty()) {
      throw new IllegalArgumentException("invalid image reference \"" + ref + "\"");
    }
    for (String part : (name + "/" + tag).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("invalid image reference \"" + ref + "\"");
      }
    }
    return new ImageRef(name, tag);
  }

  /** The image's directory under {@code imageRoot}: {@code <imageRoot>/NAME/TAG}. */
  public Path directory(Path imageRoot) {
    return imageRoot.resolve(name).resolve(tag);
  }

  @Override
  public String toString() {
    return name + ":" + tag;
  }
}
