package io.corral.worker.exec.process;

import io.corral.api.LogStream;
import java.time.Instant;

/**
 * One line a task wrote, with the time the runtime saw it: {@code data} ends with its newline,
 * except for a partial line (one longer than the line limit, or the last output of a task that
 * ended without a newline).
 */
record LogRecord(Instant time, LogStream stream, byte[] data) {}
