// Text from candidates and files reaches the terminal only through here: control characters and escape
// sequences are removed so a message cannot recolour, move the cursor or rewrite the screen.
export function sanitizeTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[ -\/]*[@-~]/g, '').replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
