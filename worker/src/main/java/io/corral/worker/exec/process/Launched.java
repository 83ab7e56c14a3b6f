package io.corral.worker.exec.process;

import java.util.Optional;

/**
 * A started task process: the wrapper's pid (also the process group and session id) and start time,
 * the task process's pid, and the JDK handle of the wrapper while this JVM is its parent.
 */
record Launched(int pid, long pidStartTime, int childPid, Optional<Process> process) {}
