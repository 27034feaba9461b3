/** Test speech shared by the engine's tests: flite voices built from real recordings. */
@NullMarked
package voicecall.engine.testspeech;

import org.jspecify.annotations.NullMarked;
