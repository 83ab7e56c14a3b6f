package io.corral.manager.logbroker;

/** Why one node's logs are missing from a log stream: shown to the user as a warning at the end. */
public record NodeProblem(String nodeId, String reason) {}
