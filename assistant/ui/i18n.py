"""Gradio's own interface texts in Vietnamese: the upload area, buttons, errors, login.

Gradio picks its texts by the browser's language and has no Vietnamese; these replace its English
texts (used for English browsers and for any language it has no translation of, Vietnamese included).
"""

from __future__ import annotations

VIETNAMESE = {
    "upload_text.drop_file": "Kéo thả tệp vào đây",
    "upload_text.click_to_upload": "Bấm để chọn tệp",
    "upload_text.drop_csv": "Kéo thả tệp CSV vào đây",
    "upload_text.paste_clipboard": "Dán từ bộ nhớ tạm",
    "common.or": "hoặc",
    "common.clear": "Xoá",
    "common.download": "Tải xuống",
    "common.download_all": "Tải tất cả",
    "common.error": "Lỗi",
    "common.loading": "Đang tải",
    "common.remove": "Bỏ",
    "common.submit": "Gửi",
    "common.undo": "Hoàn tác",
    "common.settings": "Cài đặt",
    "common.language": "Ngôn ngữ",
    "common.display_theme": "Giao diện",
    "common.built_with_gradio": "Xây dựng bằng Gradio",
    "common.built_with": "xây dựng bằng",
    "common.edit": "Sửa",
    "common.empty": "Trống",
    "common.stop_recording": "Dừng",
    "file.uploading": "Đang tải lên...",
    "chatbot.copy_message": "Chép tin nhắn",
    "chatbot.copied_message": "Đã chép",
    "chatbot.clear": "Xoá",
    "chatbot.retry": "Thử lại",
    "chatbot.undo": "Hoàn tác",
    "chatbot.submit": "Gửi",
    "chatbot.cancel": "Huỷ",
    "chatbot.edit": "Sửa",
    "dataframe.sort_column": "Sắp xếp cột",
    "dataframe.sort_ascending": "Tăng dần",
    "dataframe.sort_descending": "Giảm dần",
    "blocks.lost_connection": "Mất kết nối vì đã rời trang. Đang kết nối lại…",
    "blocks.waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại.",
    "errors.contact_page_author": "Hãy báo cho người quản trị trang.",
    "errors.use_via_api": "Dùng qua API",
    "errors.use_via_api_or_mcp": "Dùng qua API",
    "login.login": "Đăng nhập",
    "login.username": "tên đăng nhập",
    "login.password": "mật khẩu",
    "login.incorrect_credentials": "Sai tên đăng nhập hoặc mật khẩu",
    "status.queue_position": "Đang chờ: {position} / {size}",
}
# "en" is what gradio falls back to; "vi" in case a later gradio ships a Vietnamese file of its own
TRANSLATIONS = {"en": VIETNAMESE, "vi": VIETNAMESE}
