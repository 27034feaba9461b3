package voicecall.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import voicecall.app.telephony.client.ReceivedMessage;

/**
 * Checks that a caller heard the tone greeting's 600 ms chime whole: 30 audible frames in a row,
 * starting within the first 20 frames. On a loaded machine the chime has started a few frames late
 * (CI saw silent frames before it), which is not what the telephony tests are about; a gap inside
 * it would be.
 */
public final class GreetingChime {

  /** Frames of the chime: three 200 ms notes. */
  public static final int FRAMES = 30;

  private GreetingChime() {}

  /**
   * Asserts the chime is in the audio and returns where it starts.
   *
   * @param audio the audio frames the caller received, in order (at least 20 + 30)
   * @return the index of the chime's first frame
   */
  public static int start(List<ReceivedMessage> audio) {
    int start =
        IntStream.range(0, Math.min(20, audio.size()))
            .filter(i -> audio.get(i).isAudible())
            .findFirst()
            .orElse(-1);
    assertThat(start).as("first audible frame within 400 ms").isNotNegative();
    assertThat(audio.subList(start, start + FRAMES))
        .as("the chime's 30 frames")
        .allMatch(ReceivedMessage::isAudible);
    return start;
  }
}
