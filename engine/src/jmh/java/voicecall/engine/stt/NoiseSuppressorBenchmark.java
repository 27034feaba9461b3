package voicecall.engine.stt;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the noise suppressor: one second of 8 kHz audio (noise with a tone switched on and off)
 * pushed in 20 ms frames, then flushed, in one call's suppressor. The time per operation is the
 * CPU time per second of audio of one call.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class NoiseSuppressorBenchmark {

  /** One call's suppressor and a second of audio as 20 ms frames. */
  @State(Scope.Thread)
  public static class Call {
    final NoiseSuppressor suppressor = new NoiseSuppressor();
    final short[][] frames = new short[50][160];

    /** Fills the frames. */
    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(1);
      for (int f = 0; f < frames.length; f++) {
        for (int i = 0; i < 160; i++) {
          int t = f * 160 + i;
          double tone = (f / 12) % 2 == 0 ? 3000 * Math.sin(2 * Math.PI * 500 * t / 8000.0) : 0;
          frames[f][i] = (short) Math.round(tone + 600 * (random.nextDouble() - 0.5) * 3.46);
        }
      }
    }
  }

  /**
   * Suppresses one second of audio.
   *
   * @return the last sample, so the work is not optimised away
   */
  @Benchmark
  public int oneSecond(Call call) {
    int last = 0;
    for (short[] frame : call.frames) {
      short[] out = call.suppressor.push(frame);
      last += out.length > 0 ? out[out.length - 1] : 0;
    }
    short[] rest = call.suppressor.flush();
    return last + rest.length;
  }
}
