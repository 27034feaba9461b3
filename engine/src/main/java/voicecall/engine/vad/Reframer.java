package voicecall.engine.vad;

import java.util.ArrayList;
import java.util.List;
import voicecall.tts.audio.PcmAudio;

/**
 * Cuts frames of any size into fixed windows, carrying the remainder to the next frame. The sample
 * rate of the stream is the rate of its first frame; a frame at another rate is an error.
 */
final class Reframer {

  private int sampleRate;
  private short[] pending = new short[0];
  private int pendingLength;

  /** Windows completed by this frame, in order. */
  List<short[]> windows(PcmAudio frame) {
    if (sampleRate == 0) {
      sampleRate = frame.sampleRate();
      pending = new short[SileroVad.windowSamples(sampleRate)];
    } else if (frame.sampleRate() != sampleRate) {
      throw new IllegalArgumentException(
          "frame at " + frame.sampleRate() + " Hz in a stream at " + sampleRate + " Hz");
    }
    short[] samples = frame.samples();
    int window = pending.length;
    List<short[]> out = new ArrayList<>((pendingLength + samples.length) / window);
    int offset = 0;
    while (offset < samples.length) {
      int take = Math.min(window - pendingLength, samples.length - offset);
      System.arraycopy(samples, offset, pending, pendingLength, take);
      pendingLength += take;
      offset += take;
      if (pendingLength == window) {
        out.add(pending);
        pending = new short[window];
        pendingLength = 0;
      }
    }
    return out;
  }

  /** The stream's rate, 0 before the first frame. */
  int sampleRate() {
    return sampleRate;
  }
}
