// Core types the webview imports (runner events) mention Node's timer type; in the browser a timer
// handle is a number. Nothing of Node is used at run time here.
declare namespace NodeJS {
  type Timeout = number;
}
