package org.openswanj.pluto.daemon.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

class LineLayoutTest {
  /** An event logged at 2026-12-07 05:28:57.123456 local time. */
  private static LogEvent event(String message, int day) {
    var at = LocalDateTime.of(2026, 12, day, 5, 28, 57, 123_456_789).atZone(ZoneId.systemDefault()).toInstant();
    MutableInstant t = new MutableInstant();
    t.initFromEpochSecond(at.getEpochSecond(), at.getNano());
    return Log4jLogEvent.newBuilder().setLevel(Level.INFO).setMessage(new SimpleMessage(message)).setInstant(t)
        .build();
  }

  @Test
  void stderrLinesAreBareUnlessTimed() {
    assertEquals("\"road\" #1: deleting state\n", LineLayout.bare().toSerializable(event("\"road\" #1: deleting state", 7)));
  }

  /** plutostderrlogtime=yes: strftime's "%b %e %H:%M:%S" (a one-digit day padded with a space), microseconds, ": ". */
  @Test
  void timedLinesCarryTheTimeToTheMicrosecond() {
    assertEquals("Dec  7 05:28:57.123456: cluster: elected active for 192.1.2.23\n",
        LineLayout.timed().toSerializable(event("cluster: elected active for 192.1.2.23", 7)));
    assertEquals("Dec 17 05:28:57.123456: x\n", LineLayout.timed().toSerializable(event("x", 17)));
  }

  @Test
  void timedLinesAreSanitisedLikeTheOthers() {
    String line = LineLayout.timed().toSerializable(event("peer ID \"a\nDec  7 00:00:00.000000: forged\"", 7));
    assertEquals(1, line.chars().filter(c -> c == '\n').count(), line);
    assertTrue(line.endsWith("\n"), line);
  }
}
