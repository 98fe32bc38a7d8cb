// Dashboard entry (browser). Filled by the dashboard work; kept minimal so the bundle builds.
document.body.dataset.ready = 'yes';
