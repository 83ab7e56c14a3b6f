package io.corral.cli.service.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

  @Test
  void barsFollowDockersPercentages() {
    assertThat(ProgressDisplay.bar(new ProgressLine("1/3", "running  ", 9, 9)))
        .isEqualTo("[" + "=".repeat(50) + ">] ");
    assertThat(ProgressDisplay.bar(new ProgressLine("1/3", "pending  ", 3, 9)))
        .isEqualTo("[" + "=".repeat(16) + ">" + " ".repeat(34) + "] ");
    assertThat(ProgressDisplay.bar(ProgressLine.text("overall progress", "0 out of 3 tasks")))
        .isEmpty();
  }

  @Test
  void terminalRedrawsEachIdOnItsOwnLine() {
    StringWriter text = new StringWriter();
    ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true);

    display.show(ProgressLine.text("overall progress", "0 out of 1 tasks"));
    display.show(ProgressLine.text("1/1", " "));
    display.show(new ProgressLine("1/1", "running  ", 9, 9));
    display.show(ProgressLine.text("overall progress", "1 out of 1 tasks"));

    String esc = "\u001b[";
    assertThat(text.toString())
        .isEqualTo(
            "\n"
                + esc
                + "1A"
                + esc
                + "2K\roverall progress: 0 out of 1 tasks \r"
                + esc
                + "1B"
                + "\n"
                + esc
                + "1A"
                + esc
                + "2K\r1/1:   \r"
                + esc
                + "1B"
                + esc
                + "1A"
                + esc
                + "2K\r1/1: running   ["
                + "=".repeat(50)
                + ">] \r"
                + esc
                + "1B"
                + esc
                + "2A"
                + esc
                + "2K\roverall progress: 1 out of 1 tasks \r"
                + esc
                + "2B");
  }

  @Test
  void plainOutputPrintsChangesOnlyWithoutBars() {
    StringWriter text = new StringWriter();
    ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), false);

    display.show(ProgressLine.text("overall progress", "0 out of 1 tasks"));
    display.show(ProgressLine.text("1/1", " "));
    display.show(new ProgressLine("1/1", "running  ", 9, 9));
    display.show(new ProgressLine("1/1", "running  ", 9, 9));
    display.show(ProgressLine.text("overall progress", "0 out of 1 tasks"));
    display.show(ProgressLine.text("", "job complete"));

    assertThat(text.toString())
        .isEqualTo("overall progress: 0 out of 1 tasks\n1/1: running\njob complete\n");
  }
}
