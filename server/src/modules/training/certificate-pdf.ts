import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { checkCjkFont, chineseDate, cjkFont } from '../../pdf/cjk-font.ts';

/**
 * The certificate PDF (结业证书): A4 landscape, Chinese text set in Noto Sans SC, embedded as
 * a subset (only the glyphs used), and a QR code drawn as vector squares that holds the
 * public verification address.
 *
 * The font is the shared one of every PDF (server/src/pdf/cjk-font.ts).
 */
/** Fails at start-up, not at the first certificate, when the font is missing. */
export const checkCertificateFont = checkCjkFont;

export interface CertificateText {
  number: string;
  personName: string;
  classTitle: string;
  orgName: string;
  startsOn: string;
  endsOn: string;
  hours: number;
  issuedOn: string;
  verifyUrl: string;
}


export async function renderCertificate(text: CertificateText): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', layout: 'landscape', margin: 0,
    info: { Title: `结业证书 ${text.number}`, Author: text.orgName, Subject: text.classTitle, Producer: "Workers' Home" },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width;
  const height = doc.page.height;
  doc.registerFont('cjk', cjkFont() as unknown as string);
  doc.lineWidth(3).strokeColor('#b8860b').rect(28, 28, width - 56, height - 56).stroke();
  doc.lineWidth(1).rect(38, 38, width - 76, height - 76).stroke();

  doc.font('cjk').fillColor('#b22222').fontSize(40).text('结业证书', 0, 80, { align: 'center', width, characterSpacing: 16 });
  doc.fillColor('#000000').fontSize(13).text(`证书编号：${text.number}`, 70, 145, { width: width - 140, align: 'right' });
  const body = `${text.personName} 同志于 ${chineseDate(text.startsOn)} 至 ${chineseDate(text.endsOn)} 参加“${text.classTitle}”，`
    + `完成规定学习任务，共计 ${text.hours} 学时，经考核合格，准予结业。`;
  doc.fontSize(20).text(body, 90, 200, { width: width - 180, lineGap: 12, align: 'left', indent: 40 });
  doc.fontSize(18).text(text.orgName, width - 420, height - 170, { width: 330, align: 'right' });
  doc.fontSize(15).text(chineseDate(text.issuedOn), width - 420, height - 138, { width: 330, align: 'right' });

  // The QR code, drawn module by module: crisp at any zoom, no image encoding.
  const qr = QRCode.create(text.verifyUrl, { errorCorrectionLevel: 'M' });
  const modules = qr.modules.size;
  const side = 110;
  const cell = side / (modules + 8);
  const left = 80;
  const top = height - 80 - side;
  doc.rect(left, top, side, side).fill('#ffffff');
  doc.fillColor('#000000');
  for (let row = 0; row < modules; row++) {
    for (let column = 0; column < modules; column++) {
      if (qr.modules.get(row, column)) doc.rect(left + (column + 4) * cell, top + (row + 4) * cell, cell, cell);
    }
  }
  doc.fill('#000000');
  doc.fontSize(9).text('扫码查验证书真伪', left, top + side + 4, { width: side, align: 'center' });
  doc.end();
  return finished;
}
