package io.corral.worker.exec.docker;

import java.util.Map;

/**
 * One entry of {@code GET /containers/json}: id, name (without docker's leading slash), state and
 * labels.
 */
public record ContainerSummary(String id, String name, String state, Map<String, String> labels) {}
