package voicecall.app.conversation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import voicecall.app.SpeechTools;
import voicecall.app.telephony.audiosocket.AudioSocketMessage;
import voicecall.app.telephony.client.Pcm;
import voicecall.app.telephony.client.ReceivedMessage;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * The caller's side of the application tests with real speech: questions spoken in flite's voice,
 * and the engine's replies recognised frame for frame against the app's own rendering of the text.
 */
final class CallerSpeech {

  /** The telephony rate the test callers use. */
  static final int RATE = 8000;

  /**
   * Expected frames that may be missing from a match: the server drops a frame by design when the
   * socket has too many in flight (a loaded machine), and a drop must not read as a wrong reply.
   */
  static final int DROPS_ALLOWED = 2;

  private CallerSpeech() {}

  /** Skips the test without flite and PocketSphinx locally; fails it under {@code CI=true}. */
  static void assumeSpeech() {
    SpeechTools.assume(false);
  }

  /** A question in flite's voice at the call's rate, without leading or trailing silence. */
  static PcmAudio question(String text) {
    return SpeechTools.flite(text).resampleTo(RATE).trimSilence(-50, Duration.ZERO);
  }

  /** The frames of a text as the app renders it, without leading silent frames. */
  static List<short[]> rendered(OrderedSynthesis synthesis, String text, Language language) {
    List<PcmAudio> frames =
        Objects.requireNonNull(
            synthesis
                .frames(text, Voice.of(language), RATE)
                .collectList()
                .block(Duration.ofSeconds(60)));
    List<short[]> out = new ArrayList<>();
    for (PcmAudio f : frames) {
      if (out.isEmpty() && isZero(f.samples())) {
        continue;
      }
      out.add(f.samples());
    }
    return out;
  }

  /** The last {@code n} frames of a rendering, without trailing silent frames. */
  static List<short[]> tail(List<short[]> frames, int n) {
    int end = frames.size();
    while (end > 0 && isZero(frames.get(end - 1))) {
      end--;
    }
    return List.copyOf(frames.subList(Math.max(0, end - n), end));
  }

  /** The longest run of received frames equal to the start of {@code expected}. */
  static int longestMatch(List<ReceivedMessage> audio, List<short[]> expected) {
    int best = 0;
    for (int i = 0; i < audio.size(); i++) {
      int k = 0;
      while (i + k < audio.size()
          && k < expected.size()
          && Arrays.equals(pcm(audio.get(i + k)), expected.get(k))) {
        k++;
      }
      best = Math.max(best, k);
    }
    return best;
  }

  /**
   * Where the first {@code n} frames of {@code expected} arrive in order, from index {@code from};
   * or -1. Up to {@link #DROPS_ALLOWED} of them may be missing, the very first included; every
   * frame that did arrive must be the expected one.
   */
  static int find(List<ReceivedMessage> audio, List<short[]> expected, int from, int n) {
    return find(audio, expected, from, n, DROPS_ALLOWED);
  }

  /**
   * Like {@link #find(List, List, int, int)} with a chosen number of missing frames allowed (a
   * loaded machine drops more of them over a long call).
   */
  static int find(
      List<ReceivedMessage> audio, List<short[]> expected, int from, int n, int dropsAllowed) {
    int count = Math.min(n, expected.size());
    for (int i = Math.max(0, from); i < audio.size(); i++) {
      for (int skipped = 0; skipped <= dropsAllowed && skipped < count; skipped++) {
        if (matchesFrom(audio, i, expected, skipped, count, dropsAllowed)) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean matchesFrom(
      List<ReceivedMessage> audio,
      int start,
      List<short[]> expected,
      int skipped,
      int count,
      int dropsAllowed) {
    if (!Arrays.equals(pcm(audio.get(start)), expected.get(skipped))) {
      return false;
    }
    int drops = skipped;
    int j = start + 1;
    for (int k = skipped + 1; k < count; k++) {
      if (j >= audio.size()) {
        return false;
      }
      if (Arrays.equals(pcm(audio.get(j)), expected.get(k))) {
        j++;
      } else if (++drops > dropsAllowed) {
        return false;
      }
    }
    return true;
  }

  /** The first received frame after {@code after} (nanoTime) equal to {@code firstFrame}, or -1. */
  static int replyStart(List<ReceivedMessage> audio, short[] firstFrame, long after) {
    for (int i = 0; i < audio.size(); i++) {
      ReceivedMessage m = audio.get(i);
      if (m.atNanos() > after && Arrays.equals(pcm(m), firstFrame)) {
        return i;
      }
    }
    return -1;
  }

  /** The samples of a received audio frame. */
  static short[] pcm(ReceivedMessage m) {
    AudioSocketMessage.Audio a = (AudioSocketMessage.Audio) m.message();
    return Pcm.fromSlin(RATE, a.pcm()).samples();
  }

  static boolean isZero(short[] s) {
    for (short x : s) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** Nearest-rank percentile of sorted nanosecond values, in milliseconds. */
  static long millis(List<Long> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, i)));
  }

  /** A fresh data directory for one application context. */
  static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
