// One lifetime mechanism for the extension: objects own their children through _register and
// dispose them in reverse order (the pattern of VS Code's markdown extension `dispose.ts`).
import type * as vscode from 'vscode';

export interface IDisposable {
  dispose(): unknown;
}

/** Disposes every item, last registered first; keeps going when one throws and rethrows the first error. */
export function disposeAll(items: IDisposable[]): void {
  let first: unknown;
  while (items.length > 0) {
    const item = items.pop();
    try {
      item?.dispose();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

export abstract class Disposable implements vscode.Disposable {
  private _isDisposed = false;
  private readonly _disposables: IDisposable[] = [];

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  /** Takes ownership of `value`; registering on a disposed object disposes the value at once (no leak). */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }
}
