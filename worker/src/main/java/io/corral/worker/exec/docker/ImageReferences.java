package io.corral.worker.exec.docker;

/** Image reference spelling as the engine reports it. */
final class ImageReferences {
  private ImageReferences() {}

  /**
   * The reference with docker's implicit {@code :latest} when it names neither a tag nor a digest,
   * so that a missing image reads "No such image: busybox:latest" as the engine itself says. A
   * colon before the last slash is a registry port, not a tag.
   */
  static String withDefaultTag(String reference) {
    if (reference.contains("@")) {
      return reference;
    }
    int slash = reference.lastIndexOf('/');
    return reference.indexOf(':', slash + 1) >= 0 ? reference : reference + ":latest";
  }
}
