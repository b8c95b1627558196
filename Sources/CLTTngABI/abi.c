/* header-only target */
