//! Compiles the email and page templates into the binary, so a deployment is one file.
fn main() {
    minijinja_embed::embed_templates!("email-templates", &[".txt", ".html"]);
    minijinja_embed::embed_templates!("page-templates", &[".html"], "pages");
}
