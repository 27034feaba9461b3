/** JMH benchmarks of voice activity detection (run with the root pom's {@code -Pjmh} profile). */
@NullMarked
package voicecall.engine.vad.jmh;

import org.jspecify.annotations.NullMarked;
