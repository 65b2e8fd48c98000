import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

/**
 * Reads a QR code out of a PNG screenshot with jsQR (a decoder nobody here wrote), as a phone's
 * camera would: the pixels only, nothing from the page's own code.
 */
// jsQR is CommonJS: Node hands over module.exports, whose `default` is the function.
const jsQR = jsQRModule.default;

export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  if (!code) throw new Error('no QR code found in the screenshot');
  return code.data;
}
