//! `telnums`: list phone numbers from any supported provider. See `telnums --help`.

use std::process::ExitCode;

use telnums_cli::{parse_from, run};

fn main() -> ExitCode {
    let cli = match parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // One thread does everything: requests stay in flight while a page is decoded and
    // written (the listing runs ahead of the output, see `telnums::list_pages`), and
    // every record is allocated and freed on the thread that writes it. Worker threads
    // would add the cost of moving each page across threads and allocator arenas, for
    // no gain in speed: decoding and writing a page take far less time than the request
    // that brings the next one.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("telnums: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("telnums: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}
