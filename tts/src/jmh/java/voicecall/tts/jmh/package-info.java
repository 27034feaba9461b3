/** JMH benchmarks of the speech output (run with the root pom's {@code -Pjmh} profile). */
@NullMarked
package voicecall.tts.jmh;

import org.jspecify.annotations.NullMarked;
