/** Files: images and masks in and out, checkpoints (safetensors plus JSON state, written atomically). */
package org.semiseg.io;
