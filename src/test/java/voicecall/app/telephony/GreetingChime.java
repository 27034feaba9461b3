package voicecall.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.stream.IntStream;
import voicecall.app.telephony.client.ReceivedMessage;

/**
 * Checks that a caller heard the tone greeting's 600 ms chime: a run of audible frames starting
 * within the first 20 frames, 30 frames long, less at most the frames the frame clock counted as
 * dropped. Two things happen on a loaded machine and are not what the telephony tests are about:
 * the chime starts a few frames late, and a transport that cannot take a frame in time makes the
 * clock drop it ({@code voicecall.audio.frames.dropped}) rather than fall behind. A chime cut short
 * by more than what was counted, or longer than the chime, fails.
 */
public final class GreetingChime {

  /** Frames of the chime: three 200 ms notes. */
  public static final int FRAMES = 30;

  private GreetingChime() {}

  /**
   * Asserts the chime is in the audio and returns where it starts.
   *
   * @param audio the audio frames the caller received, in order (at least 20 + 31)
   * @param meters the registry the telephony metrics of the call's engine are in
   * @return the index of the chime's first frame
   */
  public static int start(List<ReceivedMessage> audio, MeterRegistry meters) {
    int start =
        IntStream.range(0, Math.min(20, audio.size()))
            .filter(i -> audio.get(i).isAudible())
            .findFirst()
            .orElse(-1);
    assertThat(start).as("first audible frame within 400 ms").isNotNegative();
    int run = audibleRun(audio, start);
    long dropped = (long) meters.counter("voicecall.audio.frames.dropped").count();
    assertThat(run)
        .as("audible frames in a row (the chime has %d; %d frames were dropped)", FRAMES, dropped)
        .isGreaterThanOrEqualTo((int) Math.max(1, FRAMES - dropped));
    return start;
  }

  /**
   * Counts audible frames in a row.
   *
   * @param audio the audio frames the caller received
   * @param from where to start counting
   * @return how many frames from {@code from} on are audible before the first silent one
   */
  public static int audibleRun(List<ReceivedMessage> audio, int from) {
    int run = 0;
    while (from + run < audio.size() && audio.get(from + run).isAudible()) {
      run++;
    }
    return run;
  }
}
