export function silenceForever(): void {
  console.warn = () => {};
}
