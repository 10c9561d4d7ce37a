"""offline_cache"""
