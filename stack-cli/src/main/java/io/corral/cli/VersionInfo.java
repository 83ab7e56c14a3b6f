package io.corral.cli;

import java.util.Locale;

/**
 * Corral's version, as the jar's manifest gives it ("dev" when run from classes), and the JVM's
 * platform.
 */
public final class VersionInfo {

  /**
   * The version of the local and control APIs (the {@code corral.api} protos). Fields and calls are
   * only ever added, so a newer daemon serves an older CLI; this changes when that stops being
   * true.
   */
  public static final String API_VERSION = "1.0";

  private VersionInfo() {}

  public static String version() {
    String v = VersionInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static String javaVersion() {
    return System.getProperty("java.version");
  }

  /** The JVM's name and vendor, e.g. "OpenJDK 64-Bit Server VM (Debian)". */
  public static String javaVm() {
    return System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ")";
  }

  /** The OS as docker names it ({@code linux}). */
  public static String os() {
    return System.getProperty("os.name").toLowerCase(Locale.ROOT);
  }

  /**
   * The architecture as the JVM names it ({@code amd64}, like Go's GOARCH in {@code docker
   * version}).
   */
  public static String arch() {
    return System.getProperty("os.arch");
  }
}
