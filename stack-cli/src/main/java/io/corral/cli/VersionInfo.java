package io.corral.cli;

/** Corral's version, as the jar's manifest gives it ("dev" when run from classes). */
public final class VersionInfo {

  private VersionInfo() {}

  public static String version() {
    String v = VersionInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
