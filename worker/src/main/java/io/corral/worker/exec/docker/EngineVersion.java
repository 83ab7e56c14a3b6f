package io.corral.worker.exec.docker;

/** The daemon's {@code /version}: engine version and the API versions it speaks. */
public record EngineVersion(
    String version, String apiVersion, String minApiVersion, String os, String arch) {}
